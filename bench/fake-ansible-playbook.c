/*
 * Compiled stand-in for ansible-playbook in the benchmarks (bench/run builds it with cc when the
 * machine has one; bench/fake-ansible-playbook is the same in /bin/sh). It exits 0 at once, so a
 * run costs the service a fork/exec and its bookkeeping, not Ansible's start-up, and costs the
 * machine as little as a process can. MultiReplicaIT runs it too (support/CompiledFake), with
 * CHARON_FAKE_RECORD: then it records and lasts as the test suite's script fake does.
 *
 * Called as: ansible-playbook -i <run dir>/inventory.ini -e @<run dir>/vars.yml <playbook>
 * With CHARON_BENCH_RECORD set it appends "<run dir name> <epoch nanos>", the clock read being
 * its first act, so the bench knows when each process started without the script's extra fork
 * for `date` in the figure. One write(2) under O_APPEND keeps concurrent runs' lines whole.
 *
 * On x86-64 Linux, bench/run builds it freestanding (-DFAKE_FREESTANDING -nostdlib, see there): its own
 * entry point and raw system calls, no C library. A static glibc program detects the CPU's
 * features with cpuid before main, which traps to the hypervisor on a VM: a cost of neither the
 * service nor Ansible (docs/decisions/0001-compiled-freestanding-fake.md). Elsewhere it builds
 * against the C library, from the same code.
 */
#ifdef FAKE_FREESTANDING

#if !defined(__x86_64__) || !defined(__linux__)
#error "the freestanding fake is written for x86-64 Linux"
#endif

#define O_WRONLY 01
#define O_CREAT 0100
#define O_APPEND 02000
#define CLOCK_REALTIME 0
#define SYS_WRITE 1
#define SYS_OPEN 2
#define SYS_CLOSE 3
#define SYS_NANOSLEEP 35
#define SYS_CLOCK_GETTIME 228
#define SYS_EXIT_GROUP 231

struct timespec {
    long tv_sec;
    long tv_nsec;
};

static long sys(long number, long a, long b, long c) {
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return result;
}

static void now(struct timespec *at) { sys(SYS_CLOCK_GETTIME, CLOCK_REALTIME, (long) at, 0); }
static int open_append(const char *path) { return (int) sys(SYS_OPEN, (long) path, O_WRONLY | O_APPEND | O_CREAT, 0600); }
static long write_all(int fd, const char *bytes, long length) { return sys(SYS_WRITE, fd, (long) bytes, length); }
static void close_fd(int fd) { sys(SYS_CLOSE, fd, 0, 0); }
static void pause_for(const struct timespec *length) { sys(SYS_NANOSLEEP, (long) length, 0, 0); }

#else

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static void now(struct timespec *at) { clock_gettime(CLOCK_REALTIME, at); }
static int open_append(const char *path) { return open(path, O_WRONLY | O_APPEND | O_CREAT, 0600); }
static long write_all(int fd, const char *bytes, long length) { return write(fd, bytes, (size_t) length); }
static void close_fd(int fd) { close(fd); }
static void pause_for(const struct timespec *length) { nanosleep(length, 0); }

#endif

/* The value of `name` in the environment, or 0. */
static const char *environment(char **envp, const char *name) {
    for (; *envp != 0; envp++) {
        const char *entry = *envp;
        const char *wanted = name;
        while (*wanted != '\0' && *entry == *wanted) {
            entry++;
            wanted++;
        }
        if (*wanted == '\0' && *entry == '=') {
            return entry + 1;
        }
    }
    return 0;
}

/* Writes `value` in decimal, zero-padded to `width` digits (at least), at `out`; returns the end. */
static char *decimal(char *out, unsigned long value, int width) {
    char digits[24];
    int count = 0;
    do {
        digits[count++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count < width) {
        digits[count++] = '0';
    }
    while (count > 0) {
        *out++ = digits[--count];
    }
    return out;
}

/*
 * The run directory's name, from argv[2] (<run dir>/inventory.ini), copied to `out`; returns the
 * end, or 0 when there is none or it would run past `line_end`.
 */
static char *run_name(char *out, const char *line_end, const char *inventory) {
    const char *end = 0;
    for (const char *c = inventory; *c != '\0'; c++) {
        if (*c == '/') {
            end = c;
        }
    }
    if (end == 0) {
        return 0;
    }
    const char *start = end;
    while (start > inventory && start[-1] != '/') {
        start--;
    }
    if (end - start > line_end - out) {
        return 0;
    }
    for (const char *c = start; c < end; c++) {
        *out++ = *c;
    }
    return out;
}

/* Appends `length` bytes of `line` to `path` in one write(2); returns 0 when it could. */
static int append(const char *path, const char *line, long length) {
    int fd = open_append(path);
    if (fd < 0 || write_all(fd, line, length) != length) {
        return 1;
    }
    close_fd(fd);
    return 0;
}

/* Appends "<what> <run dir name> <epoch millis>" to `path`, as the test suite's script fake does. */
static int record_at(const char *path, const char *what, const char *inventory, const struct timespec *at) {
    char line[512];
    char *out = line;
    while (*what != '\0') {
        *out++ = *what++;
    }
    *out++ = ' ';
    out = run_name(out, line + sizeof line - 64, inventory);
    if (out == 0) {
        return 1;
    }
    *out++ = ' ';
    out = decimal(out, (unsigned long) at->tv_sec * 1000 + (unsigned long) at->tv_nsec / 1000000, 1);
    *out++ = '\n';
    return append(path, line, out - line);
}

/* A value of the environment read as a decimal number, or `otherwise` when absent or not one. */
static long number(const char *value, long otherwise) {
    if (value == 0 || *value == '\0') {
        return otherwise;
    }
    long result = 0;
    for (; *value != '\0'; value++) {
        if (*value < '0' || *value > '9') {
            return otherwise;
        }
        result = result * 10 + (*value - '0');
    }
    return result;
}

/*
 * The test suite's load runs (src/test/resources/fake-ansible/ansible-playbook does the same in
 * bash, at several processes per run): records "start", runs for 0 to CHARON_FAKE_MAX_MS
 * milliseconds (200 when unset), prints a play's first and last line, records "end".
 */
static int recorded_run(const char *record, const char *inventory, char **envp, const struct timespec *started) {
    if (record_at(record, "start", inventory, started) != 0) {
        return 1;
    }
    long most = number(environment(envp, "CHARON_FAKE_MAX_MS"), 200);
    /* the clock's nanoseconds stand in for a random number: runs start at unrelated times */
    long ms = most > 0 ? (long) ((unsigned long) started->tv_nsec / 1000 % (unsigned long) (most + 1)) : 0;
    if (ms > 0) {
        struct timespec length = {ms / 1000, ms % 1000 * 1000000L};
        pause_for(&length);
    }
    static const char play[] = "PLAY [fake run] ***\nPLAY RECAP ***\n";
    write_all(1, play, (long) sizeof play - 1);
    struct timespec ended;
    now(&ended);
    return record_at(record, "end", inventory, &ended);
}

static int fake(int argc, char **argv, char **envp) {
    struct timespec started;
    now(&started);
    if (argc < 3) {
        return 0;
    }
    const char *runs = environment(envp, "CHARON_FAKE_RECORD");
    if (runs != 0 && runs[0] != '\0') {
        return recorded_run(runs, argv[2], envp, &started);
    }
    const char *record = environment(envp, "CHARON_BENCH_RECORD");
    if (record == 0 || record[0] == '\0') {
        return 0;
    }
    char line[512];
    char *out = run_name(line, line + sizeof line - 64, argv[2]);
    if (out == 0) {
        return 1;
    }
    *out++ = ' ';
    out = decimal(out, (unsigned long) started.tv_sec, 1);
    out = decimal(out, (unsigned long) started.tv_nsec, 9);
    *out++ = '\n';
    return append(record, line, out - line);
}

#ifdef FAKE_FREESTANDING

/* The kernel's initial stack: argc, then argv's pointers and a null, then envp's and a null. */
__attribute__((noreturn, used)) void begin(long *stack);

__attribute__((noreturn, used)) void begin(long *stack) {
    int argc = (int) stack[0];
    char **argv = (char **) (stack + 1);
    sys(SYS_EXIT_GROUP, fake(argc, argv, argv + argc + 1), 0, 0);
    for (;;) {
    }
}

__asm__(".globl _start\n"
        "_start:\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call begin\n");

#else

int main(int argc, char **argv, char **envp) {
    return fake(argc, argv, envp);
}

#endif
