"""Runs of mails to a server that offers PIPELINING (RFC 2920), as Postfix and Exim do.

The server is the benchmark's counting sink (``bench/smtp_sink.py``), run in a thread here,
with hooks to refuse an address or drop the connection partway through a run.
"""

import asyncio
import threading

import pytest

from bench.smtp_sink import Counter, _Session
from lms.notifications import mail


class Server:
    def __init__(self, port: int) -> None:
        self.port = port
        self.counter = Counter()
        self.contents: list[bytes] = []
        self.connections = 0
        self.drop_after: int | None = None  # close the connection after this many mails
        self.writes = 0

    def start(self) -> None:
        server = self

        class Session(_Session):
            def connection_made(self, transport) -> None:
                server.connections += 1
                super().connection_made(transport)

            def data_received(self, data: bytes) -> None:
                server.writes += 1
                super().data_received(data)

            def _command(self, line: bytes) -> bytes:
                if line.upper().startswith(b"RCPT TO:<BAD"):
                    return b"550 no such user\r\n"
                return super()._command(line)

        class Recording(Counter):
            def add(self, content: bytes) -> None:
                super().add(content)
                server.contents.append(content)

        self.counter = Recording()
        ready = threading.Event()

        def run() -> None:
            self.loop = asyncio.new_event_loop()

            def session():
                s = Session(self.counter)
                original = s.data_received

                def data_received(data: bytes) -> None:
                    original(data)
                    if self.drop_after is not None and self.counter.count >= self.drop_after:
                        self.drop_after = None
                        s.transport.abort()

                s.data_received = data_received
                return s

            self.server = self.loop.run_until_complete(
                self.loop.create_server(session, "127.0.0.1", self.port)
            )
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(5)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def server():
    from bench.harness import free_port

    s = Server(free_port())
    s.start()
    yield s
    for key in list(mail._SMTP):
        mail._drop_connection(key)
    s.stop()


def _settings(port: int) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_SSL": False,
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_TIMEOUT": 5,
    }


def _mails(n: int, bad: set[int] = frozenset()) -> list:
    return [
        mail._Outgoing(
            "noreply@example.com",
            f"{'bad' if i in bad else 'ok'}{i}@example.com",
            f"X-LMS-Key: k{i}\r\nSubject: s\r\n\r\n.a line starting with a dot\r\nmail {i}\r\n".encode(),
        )
        for i in range(n)
    ]


def test_a_pipelined_run_delivers_each_mail_once_intact_and_records_refusals(server):
    results = mail._send_in_parallel(_settings(server.port), _mails(30, bad={4, 17}), 2)
    assert [i for i, r in enumerate(results) if r is not None] == [4, 17]
    assert all(isinstance(results[i], mail.PermanentMailError) for i in (4, 17))
    assert server.counter.count == 28 and server.counter.duplicates == 0
    # Dot-stuffed on the way, unstuffed on arrival: the content is what was sent.
    assert sorted(server.contents)[0] == _mails(1)[0].data
    assert server.connections == 2
    # Pipelined: far fewer writes than the four commands and the content per mail.
    assert server.writes < 30 * 2


def test_a_connection_dropped_mid_run_loses_no_mail(server):
    server.drop_after = 10
    results = mail._send_in_parallel(_settings(server.port), _mails(25), 1)
    assert results == [None] * 25
    keys = {c.split(b"\r\n", 1)[0] for c in server.contents}
    assert len(keys) == 25  # every mail arrived; the one in flight may have gone twice
    assert server.counter.count - 25 <= 1
    assert server.connections == 2
