"""The action server, trusting only the Rasa server:

    ACTION_SERVER_TOKEN=<secret> python -m reconnect.action_server [--port 5055] [--host H]

rasa-sdk's own server (`rasa run actions`) has no authentication, allows every CORS origin,
listens on every interface unless SANIC_HOST says otherwise, and on an error sends the whole
request (the conversation) back. This one is rasa-sdk's app (`create_app`) with:

- a shared secret: every request but `/health` must carry ACTION_SERVER_TOKEN, as the Rasa
  server sends it (endpoints.yml, `action_endpoint.token`: a `token` query parameter), or as
  `Authorization: Bearer <token>`; anything else gets 401 and reaches no action. The server
  refuses to start without a secret of at least 16 characters;
- loopback (127.0.0.1) unless `--host` or ACTION_HOST names another address;
- no CORS headers (only the Rasa server calls it);
- no access log (the token travels in the query string), and an error answered with its
  type only: never the request, which holds the conversation.
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from typing import List, Optional

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from reconnect.channels.sign_in import SettingsError, settings_from
from reconnect.logs import install as guard_logs

logger = logging.getLogger(__name__)

TOKEN_ENV = "ACTION_SERVER_TOKEN"
TOKEN_NAME = "token"  # Rasa's EndpointConfig.token_name default
MIN_TOKEN_CHARS = 16
DEFAULT_HOST = "127.0.0.1"
OPEN_PATHS = {"/health"}


class TokenError(ValueError):
    """The shared secret is missing or too short; the message says what to set."""


def server_token(environ: Optional[dict] = None) -> str:
    token = (environ if environ is not None else os.environ).get(TOKEN_ENV, "")
    if len(token.strip()) < MIN_TOKEN_CHARS:
        raise TokenError(
            f"{TOKEN_ENV} must be set to a secret of at least {MIN_TOKEN_CHARS} characters, "
            "the same one the Rasa server sends (endpoints.yml, action_endpoint.token); "
            "e.g. `openssl rand -hex 32`")
    return token.strip()


def _presented(request: Request) -> str:
    given = request.args.get(TOKEN_NAME)
    if given:
        return given
    scheme, _, value = (request.headers.get("authorization") or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def build_app(token: str, actions: str = "actions", auto_reload: bool = False) -> Sanic:
    """rasa-sdk's app, answering only requests that carry `token`."""
    if len(token) < MIN_TOKEN_CHARS:
        raise TokenError(f"the action server's token must be at least {MIN_TOKEN_CHARS} "
                         "characters")
    app = create_app(actions, cors_origins="", auto_reload=auto_reload)
    expected = token.encode()

    async def only_the_rasa_server(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        if hmac.compare_digest(_presented(request).encode(), expected):
            return None
        logger.warning("action server: request to %s refused (no valid token)", request.path)
        return response.json({"error": "unauthorized"}, status=401)

    app.register_middleware(only_the_rasa_server, "request")

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        status = getattr(exception, "status_code", 500)
        if status >= 500:
            logger.error("action server: %s failed (%s)", request.path,
                         type(exception).__name__)
        return response.json({"error": type(exception).__name__}, status=status)

    app.error_handler.add(Exception, failed)
    return app


def _arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = create_argument_parser()
    parser.description = __doc__.splitlines()[0]
    parser.set_defaults(actions="actions")
    parser.add_argument("--host", default=os.environ.get("ACTION_HOST") or DEFAULT_HOST,
                        help=f"address to listen on (default: ACTION_HOST, else {DEFAULT_HOST})")
    # rasa-sdk spells it --logging-config_file; the Rasa server --logging-config-file.
    parser.add_argument("--logging-config-file", dest="logging_config_file",
                        help="YAML logging configuration (logging.yml)")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = _arguments(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
                                 args.log_file, args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()
    guard_logs()  # also without logging.yml: no health information in any log line
    try:
        app = build_app(server_token(), args.actions, args.auto_reload)
        # The staff id in each call is the one the Rasa server's channels verified (or, in
        # demo mode, trusted): say which, as the Rasa server does.
        logger.info("action server: %s", settings_from().mode_line)
    except (TokenError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile,
                                     args.ssl_password)
    logger.info("Action server on %s://%s:%s (requests need %s)",
                "https" if ssl_context else "http", args.host, args.port, TOKEN_ENV)
    app.run(args.host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers(),
            access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
