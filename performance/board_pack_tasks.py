"""The board pack's Celery task (thin: performance.board_pack does the work).

Celery's autodiscovery imports only ``<app>.tasks``; this module is imported
by ``PerformanceConfig.ready`` so every worker registers the task."""

from celery import shared_task


@shared_task(name="performance.board_pack_generate")
def board_pack_generate(pack_id: int) -> str:
    from performance.board_pack import board_pack_build

    return board_pack_build(pack_id=pack_id).status
