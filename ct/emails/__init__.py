"""Email: the outbox mailer, the editable email templates and the notifications."""
