from wagtail import hooks

from .richtext import UnionDocumentLinkHandler, UnionImageEmbedHandler, UnionPageLinkHandler


# After Wagtail's own registrations (order): ours replace its page, document and image
# handlers, which resolve any id of any union (portal/union/richtext.py).
@hooks.register("register_rich_text_features", order=1000)
def union_scoped_rich_text_references(features):
    features.register_link_type(UnionPageLinkHandler)
    features.register_link_type(UnionDocumentLinkHandler)
    features.register_embed_type(UnionImageEmbedHandler)
