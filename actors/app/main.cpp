#include "actors/app/bootstrap.hpp"

int main(int argc, char** argv) { return hw::app::run_main(argc, argv); }
