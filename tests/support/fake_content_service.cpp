// placeholder: fake content_service for http tests (owned by the http helper)
#include "tests/support/fake_content_service.hpp"
