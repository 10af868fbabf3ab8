"""The public URLs (fixed: other tools rely on them) and /admin/."""

from django.contrib import admin
from django.urls import include, path

from . import views

app_name = "negotiations"

public = [
    path("", views.HomeView.as_view(), name="home"),
    path("rounds/", views.RoundListView.as_view(), name="round-list"),
    path("rounds/<slug:slug>/", views.RoundDetailView.as_view(), name="round-detail"),
    path("issues/", views.IssueListView.as_view(), name="issue-list"),
    path("issues/<slug:slug>/", views.IssueDetailView.as_view(), name="issue-detail"),
    path("officials/", views.OfficialListView.as_view(), name="official-list"),
    path("officials/<slug:slug>/", views.OfficialDetailView.as_view(), name="official-detail"),
    path("quotes/", views.QuoteListView.as_view(), name="quote-list"),
    path("quotes/<int:pk>/", views.QuoteDetailView.as_view(), name="quote-detail"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("integrity/", views.IntegrityView.as_view(), name="integrity"),
    path("search/", views.SearchView.as_view(), name="search"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((public, app_name))),
]
