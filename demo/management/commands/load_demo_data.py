from django.core.management.base import BaseCommand

from demo.data import DEMO_PASSWORD, DEMO_USERS, load_demo_data


class Command(BaseCommand):
    help = "Load demo users, portfolios and progress updates (idempotent)."

    def handle(self, *args, **options):
        result = load_demo_data()
        self.stdout.write(
            f"Demo data: {result['users']} users, {result['progress_updates']} progress "
            f"updates and records for {result['regions_filled']} regions created."
        )
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<8} {user.role.label}")
        self.stdout.write(
            "pieter, iris and beheer also type a code from an authenticator app (second factor):"
            " add the key JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP to an app, or run "
            "`.venv/bin/python manage.py demo_code` for the current code."
        )
