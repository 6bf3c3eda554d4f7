"""What happens to a proposal after publication (issue 6): merge, withdraw."""

urlpatterns: list = []
