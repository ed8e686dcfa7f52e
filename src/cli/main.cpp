#include "cli/app.hpp"

int main(int argc, char** argv) { return bulwark::cli::Run(argc, argv); }
