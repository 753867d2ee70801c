#pragma once
// placeholder: the fake OpenAI-compatible chat-completions server (owned by the llm helper)
