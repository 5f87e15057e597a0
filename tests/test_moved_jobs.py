"""Jobs queued before the modules moved still run: RQ stores the old dotted paths."""

from __future__ import annotations

import importlib
import sys

import pytest
from rq.utils import import_attribute

from ct.core.moved_jobs import MOVED
from ct.extensions import db, rq
from ct.models.outbox import SENT
from tests.smtp import invite, outbox

# Every function a queue could hold under a path of the flat layout: the queued jobs and
# the clock's periodic ones.
OLD_JOB_PATHS = {
    "ct.mailer.send_email": "ct.emails.mailer.send_email",
    "ct.mailer.relay_outbox": "ct.emails.mailer.relay_outbox",
    "ct.accounts.mail_password_reset": "ct.auth.accounts.mail_password_reset",
    "ct.accounts.mail_signup_link": "ct.auth.accounts.mail_signup_link",
    "ct.exchange_export.build_exchanges_export": "ct.exchanges.export.build_exchanges_export",
    "ct.tenant_export.build_tenant_export": "ct.records.export.build_tenant_export",
    "ct.tenant_export.remove_expired_exports": "ct.records.export.remove_expired_exports",
    "ct.tenant_export.retry_stalled_exports": "ct.records.export.retry_stalled_exports",
    "ct.tenant_closing.purge_tenant": "ct.records.closing.purge_tenant",
    "ct.tenant_closing.purge_closed_tenants": "ct.records.closing.purge_closed_tenants",
    "ct.importing.runner.check_import": "ct.records.importing.runner.check_import",
    "ct.importing.runner.run_import": "ct.records.importing.runner.run_import",
    "ct.notify.reminders.send_due_reminders": "ct.emails.notify.reminders.send_due_reminders",
    "ct.notify.digest.send_daily_digests": "ct.emails.notify.digest.send_daily_digests",
    "ct.trash.purge_expired_trash": "ct.records.trash.purge_expired_trash",
}


@pytest.mark.parametrize("old, new", sorted(OLD_JOB_PATHS.items()))
def test_an_old_job_path_names_the_function_itself(old, new):
    assert import_attribute(old) is import_attribute(new)


@pytest.mark.parametrize("old, new", sorted(MOVED.items()))
def test_an_old_module_is_the_new_one_not_a_copy(old, new):
    module = importlib.import_module(old)
    assert module is importlib.import_module(new)
    assert module.__name__ == new and module.__spec__.name == new
    assert sys.modules[old] is module


# Periodic jobs born after the move: RQ never stored them under an old path.
BORN_AFTER_THE_MOVE = {"ct.webhooks.delivery.relay_webhooks", "ct.capture.upkeep.relay_inbound",
                       "ct.capture.upkeep.purge_inbound"}


def test_the_clock_jobs_are_all_covered(app):
    from ct.events import PERIODIC_JOBS

    covered = set(OLD_JOB_PATHS.values()) | BORN_AFTER_THE_MOVE
    assert {job.name for job in PERIODIC_JOBS} <= covered


def test_a_job_queued_under_the_old_path_runs_on_the_real_worker(app, client, auth, tenants,
                                                                   smtp, run_worker):
    invite(client, auth, tenants.a)  # queues its email under the current path
    [row] = outbox(app)
    with app.app_context():
        rq.queue.empty()  # as if queued by the release before: only the old path is left
        rq.queue.enqueue("ct.mailer.send_email", row.id, job_id=row.job_id)
        db.session.remove()

    run_worker()

    [mail] = smtp.received
    assert mail.rcpt_tos == ["nina@alpha.fr"]
    assert outbox(app)[0].status == SENT
