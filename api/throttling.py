"""Rate limits of the API, counted in Redis (the cache alias "throttle"), so they hold across
every gunicorn worker: per user (API_RATE_USER) and, for requests without a valid credential, per
address (API_RATE_ANON). The key carries the database's name, so installations (and test runs)
that share a Redis count apart. When Redis cannot be reached the request is served: an outage
of the limiter does not take the API down with it."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from redis.exceptions import RedisError
from rest_framework import throttling

__all__ = ["AnonRateThrottle", "UserRateThrottle"]

logger = logging.getLogger(__name__)


class _SharedCache:
    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return getattr(settings, self.rate_setting)

    def get_cache_key(self, request, view):
        key = super().get_cache_key(request, view)
        return key and f"{connection.settings_dict['NAME']}:{key}"

    def allow_request(self, request, view):
        # The rate is read on every request, so a changed setting applies at once.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except RedisError:
            logger.warning("API rate limit not applied: Redis cannot be reached", exc_info=True)
            return True


class UserRateThrottle(_SharedCache, throttling.UserRateThrottle):
    rate_setting = "API_RATE_USER"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # the anonymous limit applies
        return super().get_cache_key(request, view)


class AnonRateThrottle(_SharedCache, throttling.AnonRateThrottle):
    rate_setting = "API_RATE_ANON"
