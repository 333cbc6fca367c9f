"""gunicorn settings for the city benchmark (and a sane production start).

The application is loaded once in the master (``preload_app``), and the URL configuration with
every view module it imports (PDF, signature and spreadsheet libraries among them) is imported
there too, before the workers are forked: a worker answers its first request at once instead of
spending seconds importing, and the workers share those pages of memory.
"""

preload_app = True
accesslog = None
timeout = 120


def when_ready(server):
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing every view module is the point
