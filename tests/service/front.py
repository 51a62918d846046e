"""The TLS and HTTP/2 front of the reference service: Debian's nginx.

serve binds 127.0.0.1:PORT itself and hands the socket to nginx through
nginx's own inheritance (the `NGINX=fd;` environment variable, the way
nginx passes its sockets to a new binary on upgrade), so `--port 0` stays
free of races and a restart gets the same port. nginx terminates TLS with
the state directory's certificate and passes requests as plain HTTP to
gunicorn on a unix socket in the state directory: nothing without TLS is
reachable over TCP.

nginx runs as a master and one worker (nginx 1.22's single-process mode,
`master_process off`, crashes on inherited sockets). The master gets
SIGTERM when serve dies (PR_SET_PDEATHSIG, as gunicorn does) and stops its
worker; a SIGKILL of serve's process group takes both at once; and serve
is a child subreaper (serve's `reap_orphans`), so a worker orphaned by a
master killed alone is still serve's to stop.
"""

import os
import subprocess
from pathlib import Path

NGINX = "/usr/sbin/nginx"

# Every request, one JSON object a line (front/access.log): the connection
# serial and how many requests it carried so far, HTTP/1.1 or HTTP/2.0,
# whether TLS resumed a session ("r") or made a full handshake ("."), so
# tests can count connections and handshakes.
LOG_FORMAT = (
    '{"connection":$connection,"connection_requests":$connection_requests,'
    '"protocol":"$server_protocol","ssl_session_reused":"$ssl_session_reused",'
    '"request_time":$request_time,"status":$status,'
    '"request":"$request_method $request_uri","time":"$msec"}')

CONF = """\
# Written by tests/service/front.py; rewritten on every start.
daemon off;
master_process on;
worker_processes 1;
{user}pid {dir}/nginx.pid;
error_log {dir}/error.log notice;
events {{ worker_connections 1024; }}
http {{
    types {{ application/json json; }}
    default_type application/octet-stream;
    log_format front escape=json '{log_format}';
    access_log {dir}/access.log front;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    # Above Django's own 2.5 MB (DATA_UPLOAD_MAX_MEMORY_SIZE): the API has
    # no uploads, so Django, not the front, answers a body too big.
    client_max_body_size 3m;
    gzip on;
    gzip_types application/json;
    gzip_min_length 256;
    upstream service {{
        server unix:{sock};
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port} ssl{http2};
        server_name 127.0.0.1 localhost;
        ssl_certificate {state}/server.pem;
        ssl_certificate_key {state}/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:front:1m;
        ssl_session_timeout 1h;
        keepalive_timeout 1h;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        # Django's host check, CSRF origin check and request.is_secure()
        # (gunicorn trusts X-Forwarded-Proto from its unix socket) see
        # what the client sent.
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-Proto https;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_send_timeout 1h;
        location / {{
            proxy_pass http://service;
            proxy_read_timeout 1h;
        }}
        location = /api/v1/events {{
            proxy_pass http://service;
            # Each event leaves as soon as gunicorn writes it; a stream
            # lasts as long as the client keeps it.
            proxy_buffering off;
            proxy_cache off;
            gzip off;
            proxy_read_timeout 24h;
        }}
    }}
}}
"""


def front_dir(state):
    """The front's files: conf, logs, pid, temporary bodies."""
    return Path(state) / "front"


def write_conf(state, port, sock_path, http2):
    """Writes the nginx configuration for this start; returns its path."""
    d = front_dir(state)
    (d / "tmp").mkdir(parents=True, exist_ok=True)
    conf = d / "nginx.conf"
    # As root, workers would switch to nobody, who cannot reach the
    # socket or the state directory.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(CONF.format(dir=d, state=state, sock=sock_path, port=port,
                                user=user,
                                http2=" http2" if http2 else "",
                                log_format=LOG_FORMAT))
    return conf


def start_nginx(state, tcp_sock, sock_path, http2, preexec_fn):
    """Starts nginx on the already bound tcp_sock; returns its Popen."""
    port = tcp_sock.getsockname()[1]
    conf = write_conf(state, port, sock_path, http2)
    d = front_dir(state)
    fd = tcp_sock.fileno()
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "NGINX": f"{fd};"}
    log = open(d / "nginx.out", "ab")
    try:
        return subprocess.Popen(
            [NGINX, "-p", str(d), "-c", str(conf), "-e", str(d / "error.log")],
            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            pass_fds=[fd], preexec_fn=preexec_fn, cwd=str(d))
    finally:
        log.close()


def access_log(state):
    """The front's access log (one JSON object a line)."""
    return front_dir(state) / "access.log"


def os_unlink_quiet(path):
    """Removes a stale unix socket left by a killed run."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
