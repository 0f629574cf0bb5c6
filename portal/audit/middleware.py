import uuid

from .log import set_request_id

_HEADER = "HTTP_X_REQUEST_ID"


class RequestIdMiddleware:
    """Gives each request an id that audit entries carry (a proxy's X-Request-ID if sane)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(_HEADER, "")
        if incoming and len(incoming) <= 64 and incoming.replace("-", "").isalnum():
            request.request_id = incoming
        else:
            request.request_id = uuid.uuid4().hex
        set_request_id(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            set_request_id("")
        response["X-Request-ID"] = request.request_id
        return response
