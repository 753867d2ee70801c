// Filled by the HTTP routes work of issue 4.
