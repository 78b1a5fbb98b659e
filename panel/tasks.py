from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_pack(pack_id: int) -> None:
    services.pack_generate(pack_id=pack_id)
