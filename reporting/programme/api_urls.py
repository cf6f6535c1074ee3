from django.urls import path

from . import api

urlpatterns = [
    path("programme/benchmark/", api.OwnBenchmarkView.as_view(), name="programme-benchmark"),
    path(
        "reporting/programme/benchmark/",
        api.PartyBenchmarkView.as_view(),
        name="reporting-programme-benchmark",
    ),
]
