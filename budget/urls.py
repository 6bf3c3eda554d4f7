"""Review by city services, projects and the list put to the vote (issue 6)."""

app_name = "budget"
urlpatterns: list = []
