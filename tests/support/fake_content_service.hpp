#pragma once
// placeholder: fake content_service for http tests (owned by the http helper)
