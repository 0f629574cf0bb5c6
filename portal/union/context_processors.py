from portal.access.roles import roles_for


def union(request):
    current = getattr(request, "union", None)
    user = getattr(request, "user", None)
    return {
        "current_union": current,
        "current_roles": roles_for(user, current) if current is not None else frozenset(),
    }
