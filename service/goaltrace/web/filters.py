"""Template filters shared by the web app and the standalone report."""

from jinja2 import Environment

from ..trace import target_label
from .entities import local_path


def register(env: Environment):
    env.filters["local"] = local_path
    env.filters["target"] = target_label
