"""A small model hub on 127.0.0.1 with the Hugging Face hub's URL layout, for the models tests.

It answers what ``huggingface_hub`` asks, the way the real hub answers it:
``GET /api/models/{repo}[/revision/{rev}]`` (JSON with ``sha`` and ``siblings``) and
``HEAD``/``GET /{repo}/resolve/{rev}/{file}`` (with ``X-Repo-Commit``, ``ETag`` and
``Content-Length``; ranges for resumed downloads), errors carrying ``X-Error-Code``. It
records every request, can demand a token, and can cut one file's download half-way.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Repo:
    """One model repository: its files at one commit."""

    files: dict[str, bytes]
    sha: str
    license: str | None = None


@dataclass
class Request:
    """What the hub was asked."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Hub:
    """The server's state: repositories, the token it wants, what it was asked."""

    token: str | None = None
    repos: dict[str, Repo] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    # (repo, file) → bytes to send before hanging up, once: a connection lost mid-download
    cut_once: dict[tuple[str, str], int] = field(default_factory=dict)
    url: str = ""

    def add_directory(self, repo_id: str, path: Path, license: str | None = None,
                      **extra_files: bytes) -> Repo:
        """Serve the files of a model directory (not its desk manifest) as ``repo_id``."""
        files = {p.name: p.read_bytes() for p in sorted(path.iterdir())
                 if p.is_file() and p.name != "linguadesk-model.json"}
        files.update({name.replace("__", "."): data for name, data in extra_files.items()})
        if license:
            files["README.md"] = f"---\nlicense: {license}\n---\n# {repo_id}\n".encode()
        sha = hashlib.sha1(repo_id.encode() + b"".join(files.values())).hexdigest()
        self.repos[repo_id] = Repo(files, sha, license)
        return self.repos[repo_id]

    def asked_for(self, fragment: str) -> list[Request]:
        """Every request whose path contains ``fragment``."""
        return [r for r in self.requests if fragment in r.path]


class _Handler(BaseHTTPRequestHandler):
    hub: Hub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        hub = self.hub
        hub.requests.append(Request(self.command, self.path, dict(self.headers)))
        if hub.token and self.headers.get("Authorization") != f"Bearer {hub.token}":
            # What the real hub says about a private repo to a stranger: it does not exist.
            return self._error(401, "RepoNotFound", "Invalid username or password.", body)
        api = re.fullmatch(r"/api/models/(.+?)(?:/revision/([^/]+))?", self.path.split("?")[0])
        if api:
            return self._info(api.group(1), api.group(2) or "main", body)
        resolve = re.fullmatch(r"/(.+?)/resolve/([^/]+)/(.+)", self.path.split("?")[0])
        if resolve:
            return self._file(*resolve.groups(), body=body)
        self._error(404, "", "Not found", body)

    def _repo(self, repo_id: str, revision: str, body: bool) -> Repo | None:
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            self._error(404, "RepoNotFound", "Repository not found", body)
            return None
        if revision not in ("main", repo.sha):
            self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}", body)
            return None
        return repo

    def _info(self, repo_id: str, revision: str, body: bool) -> None:
        repo = self._repo(repo_id, revision, body)
        if repo is None:
            return
        info = {"_id": repo.sha[:24], "id": repo_id, "modelId": repo_id, "sha": repo.sha,
                "private": bool(self.hub.token), "tags": ["marian", "translation"]
                + ([f"license:{repo.license}"] if repo.license else []),
                "cardData": {"license": repo.license} if repo.license else {},
                "siblings": [{"rfilename": name} for name in repo.files]}
        self._send(200, json.dumps(info).encode(), {"Content-Type": "application/json"}, body)

    def _file(self, repo_id: str, revision: str, name: str, body: bool) -> None:
        repo = self._repo(repo_id, revision, body)
        if repo is None:
            return
        if name not in repo.files:
            return self._error(404, "EntryNotFound", f"{name} does not exist", body)
        data = repo.files[name]
        headers = {"X-Repo-Commit": repo.sha, "Accept-Ranges": "bytes",
                   "ETag": f'"{hashlib.sha256(data).hexdigest()}"',
                   "Content-Type": "application/octet-stream"}
        start = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if start and body:
            offset = int(start.group(1))
            headers["Content-Range"] = f"bytes {offset}-{len(data) - 1}/{len(data)}"
            return self._send(206, data[offset:], headers, body)
        if body and (repo_id, name) in self.hub.cut_once:
            return self._cut(data, headers, self.hub.cut_once.pop((repo_id, name)))
        self._send(200, data, headers, body)

    def _cut(self, data: bytes, headers: dict[str, str], sent: int) -> None:
        """Promise the whole file, send ``sent`` bytes of it, hang up."""
        self.send_response(200)
        for key, value in {**headers, "Content-Length": str(len(data))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data[:sent])
        self.wfile.flush()
        self.close_connection = True

    def _error(self, status: int, code: str, message: str, body: bool) -> None:
        headers = {"Content-Type": "application/json", **({"X-Error-Code": code} if code else {})}
        self._send(status, json.dumps({"error": message}).encode(), headers, body)

    def _send(self, status: int, payload: bytes, headers: dict[str, str], body: bool) -> None:
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(payload))}.items():
            self.send_header(key, value)
        self.end_headers()
        if body:
            self.wfile.write(payload)


class HubServer:
    """``with HubServer(hub) as url:`` serves ``hub`` on a free port until the block ends."""

    def __init__(self, hub: Hub) -> None:
        handler = type("Handler", (_Handler,), {"hub": hub})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        hub.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.hub = hub
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Hub:
        self.thread.start()
        return self.hub

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
