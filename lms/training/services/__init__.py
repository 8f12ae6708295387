"""The rules of training classes: every change goes through here, whether it comes from a
page, the API, the CLI or a task. Callers write ``from lms.training import services``.

- ``access``: who may see, manage and teach a class; reads that respect it
- ``classes``: creating and changing classes and their check-in options
- ``scheduling``: sessions, series, clashes, moving and cancelling
- ``roster``: seats, waitlist, registering, withdrawing, imports
- ``checkin``: QR tokens, codes, the one-tap confirmation and the check-in guards
- ``attendance``: marks, absent marking, rates, warnings and completion
- ``excuses``: excuse requests and decisions
- ``calendar``: schedules and iCalendar feeds
- ``reports`` and ``exports``: matrix, history, summary, and their audited exports
"""

from lms.training.services.access import *  # noqa: F403
from lms.training.services.attendance import *  # noqa: F403
from lms.training.services.calendar import *  # noqa: F403
from lms.training.services.checkin import *  # noqa: F403
from lms.training.services.classes import *  # noqa: F403
from lms.training.services.common import *  # noqa: F403
from lms.training.services.excuses import *  # noqa: F403
from lms.training.services.exports import *  # noqa: F403
from lms.training.services.reports import *  # noqa: F403
from lms.training.services.roster import *  # noqa: F403
from lms.training.services.scheduling import *  # noqa: F403
