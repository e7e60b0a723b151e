"""Signing in checks the password as Django does; each later request finds its user through
``accounts.signed_in``, from the cache."""

from django.contrib.auth.backends import ModelBackend

from accounts.signed_in import signed_in_user


class SignedInBackend(ModelBackend):
    def get_user(self, user_id):
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
