/*
 * Compiled stand-in for ansible-playbook in the benchmarks (bench/run builds it with cc when the
 * machine has one; bench/fake-ansible-playbook is the same in /bin/sh). It exits 0 at once, so a
 * run costs the service a fork/exec and its bookkeeping, not Ansible's start-up, and costs the
 * machine as little as a process can.
 *
 * Called as: ansible-playbook -i <run dir>/inventory.ini -e @<run dir>/vars.yml <playbook>
 * With CHARON_BENCH_RECORD set it appends "<run dir name> <epoch nanos>", the clock read being
 * its first act, so the bench knows when each process started without the script's extra fork
 * for `date` in the figure. One write(2) under O_APPEND keeps concurrent runs' lines whole.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    const char *record = getenv("CHARON_BENCH_RECORD");
    if (record == NULL || record[0] == '\0' || argc < 3) {
        return 0;
    }
    /* argv[2] is <run dir>/inventory.ini: the run directory's name is its second-to-last part */
    const char *end = strrchr(argv[2], '/');
    if (end == NULL) {
        return 0;
    }
    const char *start = end;
    while (start > argv[2] && start[-1] != '/') {
        start--;
    }
    char line[512];
    int length = snprintf(line, sizeof line, "%.*s %lld%09ld\n", (int) (end - start), start,
                          (long long) now.tv_sec, now.tv_nsec);
    if (length <= 0 || length >= (int) sizeof line) {
        return 1;
    }
    int fd = open(record, O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (fd < 0 || write(fd, line, (size_t) length) != length) {
        return 1;
    }
    close(fd);
    return 0;
}
