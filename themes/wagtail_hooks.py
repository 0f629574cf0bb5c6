from wagtail import hooks


@hooks.register("before_serve_page")
def remember_page(page, request, serve_args, serve_kwargs):
    # The language switcher (context_processors.chrome) needs the page being shown.
    request.portal_page = page
