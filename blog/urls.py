from django.urls import path

from blog import views
from blog.feeds import LatestArticlesFeed

app_name = "relief_blog"

urlpatterns = [
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
