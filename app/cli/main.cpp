#include <iostream>

int main(int argc, char** argv) {
    std::cerr << "usage: bonsai-cli run SPEC.json [--db FILE] [--trials N] [--seed S] [--json]\n";
    return 2;
}
