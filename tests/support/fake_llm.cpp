// placeholder: the fake OpenAI-compatible chat-completions server (owned by the llm helper)
#include "tests/support/fake_llm.hpp"
