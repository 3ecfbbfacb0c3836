"""Template filters shared by the web app and the standalone report."""

from jinja2 import Environment

from ..trace import _target
from .entities import local_path


def register(env: Environment):
    env.filters["local"] = local_path
    env.filters["target"] = _target
