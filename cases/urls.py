from cases import urls_casework, urls_records
from cases.extract import urls as extract_urls

app_name = "cases"

urlpatterns: list = [
    *urls_casework.urlpatterns,
    *urls_records.urlpatterns,
    *extract_urls.urlpatterns,
]
