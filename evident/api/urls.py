from evident.api.access import guarded_urlpatterns
from evident.api.api import api

app_name = "api"

# Every API URL's view carries the access policy its operations declare (deny by default).
urlpatterns = guarded_urlpatterns(api)
