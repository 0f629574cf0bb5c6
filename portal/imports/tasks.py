from django_tasks import task


@task()
def run_import_task(job_id: int) -> str:
    """Run a queued import or dry run (imports/actions.py: run_job). Only a queued job
    runs, so enqueuing it twice does nothing more."""
    from .actions import run_job

    return run_job(job_id)
