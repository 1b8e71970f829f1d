/* main.c: the hop executable; everything happens in hop_cli_main (host/cli.c). */
#include "cli.h"

int main(int argc, char **argv)
{
    return hop_cli_main(argc, argv);
}
