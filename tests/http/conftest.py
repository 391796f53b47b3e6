"""Provides real misbehaving servers on 127.0.0.1 for the HTTP client tests: silent, trickling,
resetting, endless, redirect-looping, echoing, and TLS servers with bad certificates.

Every server binds 127.0.0.1 only, serves from daemon threads, and stops at teardown.
"""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import json
import socket
import ssl
import struct
import threading
import time
from typing import Callable, Dict, List, Optional, Tuple

import pytest

Handler = Callable[[socket.socket, threading.Event, "RawServer"], None]


def read_head(conn: socket.socket, limit: int = 65536) -> Tuple[str, Dict[str, str]]:
    """Read one request head; (request line, lower-cased headers). Empty line when the peer left."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        try:
            chunk = conn.recv(4096)
        except OSError:
            return "", {}
        if not chunk:
            return "", {}
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], headers


def respond(conn: socket.socket, status: str, headers: List[Tuple[str, str]], body: bytes = b"") -> None:
    """Send one complete response and leave the connection to the caller."""
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    conn.sendall(head.encode("latin-1") + body)


class RawServer:
    """A TCP server on 127.0.0.1 that runs `handler(conn, stop, server)` for each connection."""

    def __init__(self, handler: Handler, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self.handler = handler
        self.ssl_context = ssl_context
        self.stop_event = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.bytes_sent = 0
        self.requests: List[Tuple[str, Dict[str, str]]] = []
        self._threads: List[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    def url(self, path: str = "/", scheme: Optional[str] = None, host: str = "127.0.0.1") -> str:
        scheme = scheme or ("https" if self.ssl_context else "http")
        return f"{scheme}://{host}:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stop_event.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads.append(worker)
            worker.start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(10)
            if self.ssl_context is not None:
                conn = self.ssl_context.wrap_socket(conn, server_side=True)
            self.handler(conn, self.stop_event, self)
        except (OSError, ssl.SSLError):
            pass  # the client went away or refused our certificate: expected in these tests
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def stop(self) -> None:
        self.stop_event.set()
        try:
            self.sock.close()
        except OSError:
            pass
        self._accept.join(2)
        for worker in self._threads:
            worker.join(2)


@pytest.fixture
def serve():
    """Factory: serve(handler, ssl_context=None) -> a started RawServer, stopped at teardown."""
    servers: List[RawServer] = []

    def start(handler: Handler, ssl_context: Optional[ssl.SSLContext] = None) -> RawServer:
        server = RawServer(handler, ssl_context)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def full_backlog():
    """A listener whose accept queue is full, so a new connect's SYN is dropped: (host, port)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):  # Linux admits backlog+1; more tries make sure the queue is full
        filler = socket.socket()
        filler.settimeout(0.1)
        try:
            filler.connect(("127.0.0.1", port))
        except OSError:
            pass
        fillers.append(filler)
    yield "127.0.0.1", port
    for filler in fillers:
        filler.close()
    listener.close()


# --- handlers -------------------------------------------------------------------------------


def silent(conn, stop, server):
    """Accept, read the request, never answer."""
    read_head(conn)
    stop.wait(30)


def trickle_head(conn, stop, server):
    """Start a response, then send one header byte every 0.2 s: each read succeeds, none ends."""
    read_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not stop.wait(0.2):
        conn.sendall(b"a")


def trickle_body(conn, stop, server):
    """Complete headers, then one body byte every 0.2 s of a promised megabyte."""
    read_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
    while not stop.wait(0.2):
        conn.sendall(b"b")


def reset_mid_body(conn, stop, server):
    """Promise 1 MB, send 10 kB, then abort the connection with a TCP RST."""
    read_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/javascript\r\nContent-Length: 1000000\r\n\r\n")
    conn.sendall(b"x" * 10000)
    time.sleep(0.1)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def close_without_answer(conn, stop, server):
    """Read the request and close the connection without a byte of answer."""
    read_head(conn)


def endless_body(conn, stop, server):
    """Announce 100 MB and stream it in 64 kB chunks until the client hangs up."""
    read_head(conn)
    total = 100 * 1024 * 1024
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {total}\r\n\r\n".encode())
    chunk = b"z" * 65536
    while server.bytes_sent < total and not stop.is_set():
        conn.sendall(chunk)
        server.bytes_sent += len(chunk)


def gzip_bomb(conn, stop, server):
    """100 MB of zeros in about 100 kB: one gzip member of 1 MB of zeros, a hundred times over."""
    read_head(conn)
    body = gzip.compress(b"\0" * (1024 * 1024), compresslevel=9) * 100
    respond(conn, "200 OK", [("Content-Encoding", "gzip"), ("Content-Type", "text/plain")], body)


def gzip_page(conn, stop, server):
    """A small gzip-encoded HTML page."""
    read_head(conn)
    respond(conn, "200 OK", [("Content-Encoding", "gzip"), ("Content-Type", "text/html; charset=utf-8")],
            gzip.compress("<p>héllo</p>".encode("utf-8")))


def redirect_loop(conn, stop, server):
    """/a -> /b -> /a ..."""
    line, _ = read_head(conn)
    path = line.split(" ")[1] if line else "/"
    respond(conn, "302 Found", [("Location", "/b" if path == "/a" else "/a")])


def redirect_forever(conn, stop, server):
    """/n/1 -> /n/2 -> /n/3 ... never the same URL twice."""
    line, _ = read_head(conn)
    path = line.split(" ")[1] if line else "/n/0"
    number = int(path.rsplit("/", 1)[-1] or 0)
    respond(conn, "301 Moved Permanently", [("Location", f"/n/{number + 1}")])


def echo(conn, stop, server):
    """Answer 200 with the request line and headers as JSON; sets an AWSALB cookie."""
    line, headers = read_head(conn)
    if not line:
        return
    server.requests.append((line, headers))
    body = json.dumps({"line": line, "headers": headers}).encode()
    respond(conn, "200 OK", [("Content-Type", "application/json"), ("Set-Cookie", "AWSALB=sticky; Path=/")], body)


# --- TLS material -----------------------------------------------------------------------------


class TlsMaterial:
    """A test CA and server contexts for a good, a wrong-name and an expired certificate."""

    def __init__(self, tmp_dir) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        now = datetime.datetime.now(datetime.timezone.utc)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "edgewiz test CA")])
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=30))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            # Key identifiers as real CAs issue them: Python 3.13 verifies with VERIFY_X509_STRICT,
            # which refuses a chain without them.
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        self.ca_file = str(tmp_dir / "ca.pem")
        with open(self.ca_file, "wb") as fh:
            fh.write(ca_cert.public_bytes(serialization.Encoding.PEM))

        def leaf(name: str, names: List[str], not_before, not_after) -> ssl.SSLContext:
            key = ec.generate_private_key(ec.SECP256R1())
            sans = []
            for n in names:
                try:
                    sans.append(x509.IPAddress(ipaddress.ip_address(n)))
                except ValueError:
                    sans.append(x509.DNSName(n))
            cert = (
                x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
                .issuer_name(ca_name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(not_before).not_valid_after(not_after)
                .add_extension(x509.SubjectAlternativeName(sans), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
                .sign(ca_key, hashes.SHA256())
            )
            cert_file, key_file = tmp_dir / f"{name}.pem", tmp_dir / f"{name}.key"
            cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
            key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                   serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(cert_file), str(key_file))
            return context

        self.good = leaf("good", ["localhost", "127.0.0.1"], now - datetime.timedelta(days=1),
                         now + datetime.timedelta(days=10))
        self.wrong_name = leaf("wrong", ["other.invalid"], now - datetime.timedelta(days=1),
                               now + datetime.timedelta(days=10))
        self.expired = leaf("expired", ["localhost", "127.0.0.1"], now - datetime.timedelta(days=20),
                            now - datetime.timedelta(days=2))

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts only the test CA."""
        return ssl.create_default_context(cafile=self.ca_file)


@pytest.fixture(scope="session")
def tls(tmp_path_factory) -> TlsMaterial:
    """TLS material made at test time with the cryptography package."""
    pytest.importorskip("cryptography", reason="the cryptography package makes the test certificates")
    return TlsMaterial(tmp_path_factory.mktemp("tls"))


def hello(conn, stop, server):
    """Answer 200 "hello"."""
    read_head(conn)
    respond(conn, "200 OK", [("Content-Type", "text/plain")], b"hello")


@pytest.fixture
def handlers():
    """The server behaviours above, by name (tests do not import conftest)."""
    import types

    return types.SimpleNamespace(
        silent=silent, trickle_head=trickle_head, trickle_body=trickle_body,
        reset_mid_body=reset_mid_body, close_without_answer=close_without_answer,
        endless_body=endless_body, gzip_bomb=gzip_bomb, gzip_page=gzip_page,
        redirect_loop=redirect_loop, redirect_forever=redirect_forever, echo=echo, hello=hello,
    )
