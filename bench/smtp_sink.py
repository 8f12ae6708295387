"""A counting SMTP server for the notifications benchmark, in a process of its own.

It speaks the part of SMTP a mail client uses to hand over mail (RFC 5321: EHLO/HELO,
MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and advertises PIPELINING
(RFC 2920), answering every command a client sent in one write with one write. Each mail
is received whole over TCP and its ``X-LMS-Key`` header read, so the benchmark can prove
that every reminder arrived exactly once.

aiosmtpd (the sink used before) costs ~0.65 ms of CPU per mail on the 2-core development
machine, a quarter of the machine's time at 100,000 mails; this server costs a fraction
of that, so the benchmark measures the platform rather than its test double. Run it alone
to try a client against it: ``python -m bench.smtp_sink --port 2525``.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import re
import time

_UNSTUFF = re.compile(rb"^\.", re.M)
_EHLO = b"250-sink.local\r\n250-PIPELINING\r\n250 8BITMIME\r\n"


class Counter:
    """What the sink received: mails, distinct keys, and keys seen more than once."""

    def __init__(self) -> None:
        self.count = 0
        self.keys: set[str] = set()
        self.duplicates = 0

    def add(self, content: bytes) -> None:
        key = ""
        head = content.split(b"\r\n\r\n", 1)[0]
        for line in head.split(b"\r\n"):
            if line[:10].lower() == b"x-lms-key:":
                key = line[10:].strip().decode()
                break
        self.count += 1
        if key in self.keys:
            self.duplicates += 1
        self.keys.add(key)


class _Session(asyncio.Protocol):
    def __init__(self, counter: Counter) -> None:
        self.counter = counter
        self.buffer = b""
        self.in_data = False
        self.sender: bytes | None = None
        self.recipients = 0

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(b"220 sink.local ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies = []
        while True:
            if self.in_data:
                # The content ends at a line holding a single dot; it may be empty.
                if self.buffer.startswith(b".\r\n"):
                    end, skip = 0, 3
                else:
                    end = self.buffer.find(b"\r\n.\r\n")
                    if end < 0:
                        break
                    end, skip = end + 2, 3  # the content keeps its last CRLF
                content = _UNSTUFF.sub(b"", self.buffer[:end])
                self.buffer = self.buffer[end + skip :]
                self.in_data = False
                self.sender, self.recipients = None, 0
                self.counter.add(content)
                replies.append(b"250 OK queued\r\n")
                continue
            line, sep, rest = self.buffer.partition(b"\r\n")
            if not sep:
                break
            self.buffer = rest
            reply = self._command(line)
            replies.append(reply)
            if reply.startswith(b"221"):
                self.transport.write(b"".join(replies))
                self.transport.close()
                return
        if replies:
            self.transport.write(b"".join(replies))

    def _command(self, line: bytes) -> bytes:
        verb = line[:4].upper()
        if verb == b"EHLO":
            self.sender, self.recipients = None, 0
            return _EHLO
        if verb == b"HELO":
            self.sender, self.recipients = None, 0
            return b"250 sink.local\r\n"
        if verb == b"MAIL":
            if not line[4:].upper().startswith(b" FROM:"):
                return b"501 Syntax: MAIL FROM:<address>\r\n"
            if self.sender is not None:
                return b"503 Error: nested MAIL command\r\n"
            self.sender = line[10:]
            return b"250 OK\r\n"
        if verb == b"RCPT":
            if self.sender is None:
                return b"503 Error: need MAIL command\r\n"
            if not line[4:].upper().startswith(b" TO:"):
                return b"501 Syntax: RCPT TO:<address>\r\n"
            self.recipients += 1
            return b"250 OK\r\n"
        if verb == b"DATA":
            if not self.recipients:
                return b"503 Error: need RCPT command\r\n"
            self.in_data = True
            return b"354 End data with <CR><LF>.<CR><LF>\r\n"
        if verb == b"RSET":
            self.sender, self.recipients = None, 0
            return b"250 OK\r\n"
        if verb == b"NOOP":
            return b"250 OK\r\n"
        if verb == b"QUIT":
            return b"221 Bye\r\n"
        return b"500 Error: command not recognized\r\n"


def _serve(port: int, ready, stats, stop) -> None:
    counter = Counter()

    def _publish() -> None:
        stats[0], stats[1], stats[2] = counter.count, len(counter.keys), counter.duplicates
        stats[3] = int(time.process_time() * 1000)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _Session(counter), "127.0.0.1", port)
        ready.set()
        while not stop.is_set():
            _publish()
            await asyncio.sleep(0.1)
        _publish()
        server.close()

    asyncio.run(main())


class SinkProcess:
    """The sink in a child process; ``count``, ``distinct``, ``duplicates`` and
    ``cpu_seconds`` read its figures (refreshed every 0.1 s and when it stops).
    """

    def __init__(self, port: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._ready, self._stop = ctx.Event(), ctx.Event()
        self._stats = ctx.Array("q", 4, lock=False)
        self._proc = ctx.Process(
            target=_serve, args=(port, self._ready, self._stats, self._stop), daemon=True
        )

    def start(self) -> None:
        self._proc.start()
        if not self._ready.wait(30):
            raise RuntimeError("the SMTP sink did not start")

    def stop(self) -> None:
        self._stop.set()
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()

    @property
    def count(self) -> int:
        return self._stats[0]

    @property
    def distinct(self) -> int:
        return self._stats[1]

    @property
    def duplicates(self) -> int:
        return self._stats[2]

    @property
    def cpu_seconds(self) -> float:
        """CPU time the sink process has used so far."""
        return self._stats[3] / 1000


if __name__ == "__main__":
    import argparse
    import threading

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=2525)
    port = parser.parse_args().port
    _serve(port, threading.Event(), [0, 0, 0, 0], threading.Event())
