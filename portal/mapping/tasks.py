from django_tasks import task


@task()
def daily_mapping_task() -> dict:
    """Daily: erase potential members past their date, then write every union's density
    snapshot (a few INSERT … SELECT statements per union)."""
    from portal.union.models import Union

    from .actions import erase_expired_potential_members
    from .density import write_snapshot

    erased = erase_expired_potential_members()
    written = sum(write_snapshot(union=union) for union in Union.objects.filter(is_active=True))
    return {"erased": erased, "snapshot_rows": written}
