"""A local SFTP server for the tests: paramiko's server side, in a thread, on a random port,
serving one directory with one user and password."""

import os
import socket
import threading
from pathlib import Path

import paramiko

USER, PASSWORD = "mailhouse", "s3cret-for-tests"


class _Auth(paramiko.ServerInterface):
    def check_auth_password(self, username, password):
        if (username, password) == (USER, PASSWORD):
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def get_allowed_auths(self, username):
        return "password"

    def check_channel_request(self, kind, chanid):
        return (
            paramiko.OPEN_SUCCEEDED
            if kind == "session"
            else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED
        )


class _Handle(paramiko.SFTPHandle):
    def stat(self):
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))


def _sftp_for(root: Path):
    class Rooted(paramiko.SFTPServerInterface):
        def _path(self, path: str) -> Path:
            resolved = (root / path.lstrip("/")).resolve()
            if root.resolve() not in (resolved, *resolved.parents):
                raise PermissionError(path)
            return resolved

        def open(self, path, flags, attr):
            try:
                fd = os.open(self._path(path), flags, 0o600)
                mode = "wb" if flags & os.O_WRONLY else "rb"
                handle = _Handle(flags)
                f = os.fdopen(fd, mode)
                handle.readfile = handle.writefile = f
                return handle
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno)

        def stat(self, path):
            try:
                return paramiko.SFTPAttributes.from_stat(os.stat(self._path(path)))
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno)

        lstat = stat

        def remove(self, path):
            try:
                os.remove(self._path(path))
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno)
            return paramiko.SFTP_OK

        def rename(self, old, new):
            try:
                os.rename(self._path(old), self._path(new))
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno)
            return paramiko.SFTP_OK

        def list_folder(self, path):
            p = self._path(path)
            out = []
            for name in os.listdir(p):
                attr = paramiko.SFTPAttributes.from_stat(os.stat(p / name))
                attr.filename = name
                out.append(attr)
            return out

    return Rooted


class LocalSftpServer:
    """Start with .start(); .port, .host_key_line ("ssh-rsa AAAA...") for the client's settings."""

    def __init__(self, root: Path):
        self.root = root
        self.key = paramiko.RSAKey.generate(2048)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.transports: list[paramiko.Transport] = []
        self._stop = threading.Event()

    @property
    def host_key_line(self) -> str:
        return f"{self.key.get_name()} {self.key.get_base64()}"

    def start(self) -> "LocalSftpServer":
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            transport = paramiko.Transport(conn)
            transport.add_server_key(self.key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _sftp_for(self.root))
            transport.start_server(server=_Auth())
            self.transports.append(transport)

    def stop(self) -> None:
        self._stop.set()
        for transport in self.transports:
            transport.close()
        self.sock.close()
