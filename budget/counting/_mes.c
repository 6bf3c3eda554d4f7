/*
 * One exact run of the Method of Equal Shares at one starting share, in C.
 *
 * The same algorithm as budget/counting/mes.py (`mes.run`), for the runs that
 * need no trace: Add1 makes hundreds of them on one election. Money is exact,
 * with GMP integers (no floating point anywhere): an amount is an integer of a
 * unit that shrinks when a price is not a whole number of units (at first
 * cents x n, so that B/n is whole). Voters holding the same amount form a class:
 * a class is the ballot groups that supported the same purchases and paid each
 * in full; those who gave all they had join class 0 and hold nothing.
 *
 * Each round, the project with the smallest rho (price per unit of utility, ties
 * by rank) among those its supporters can still pay is bought; a heap of lower
 * bounds of rho is evaluated lazily, since rho never falls within a run.
 *
 * mes.py checks that this module and the Python kernel agree (tests run both).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <gmp.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    Py_ssize_t groups, projects;
    int64_t *sup_ptr;    /* projects + 1: supporters of p in [sup_ptr[p], sup_ptr[p+1]) */
    int32_t *sup_group;  /* supporting ballot group */
    int64_t *sup_weight; /* its utility weight: points given, or 1 */
    int64_t *count;      /* voters per group */
    int64_t *sup_count;  /* voters of each supporting group, aligned with sup_group */
    int unit_weights;    /* every weight is 1 */
    int64_t *cost;       /* cents */
    int64_t *total_weight;
    int64_t voters;
    struct Run *state, *other;  /* buffers reused from run to run */
} Kernel;

/* One run's state. */
typedef struct Run {
    const Kernel *k;
    int32_t *cls;             /* group -> class */
    mpz_t *amount;            /* class -> amount, at the scale of epoch[class] */
    int32_t *epoch;
    Py_ssize_t classes, capacity;
    mpz_t *scales;            /* scale of each epoch; the last is the current one */
    mpz_t *mult;              /* epoch -> current scale / its scale, if mult_at == now */
    int32_t *mult_at;
    Py_ssize_t epochs, scale_capacity;
    /* histogram of one project's supporters, per (class, weight) */
    int32_t *head;            /* class -> first entry, -1 if none */
    int32_t *e_class, *e_next, *e_new;
    int64_t *e_weight, *e_many;
    char *e_poor;
    Py_ssize_t entries, entry_capacity;
    /* heap of candidate projects, by (key_num / key_den, rank) */
    mpz_t *key_num, *key_den;
    uint64_t *key_hi, *key_lo; /* rho x 2**64 rounded down, saturated: compared first */
    int32_t *heap;
    Py_ssize_t heap_size;
    int64_t *rank;
    int by_cost;
    long long spent;          /* cents */
    PyObject *events;         /* the trace, a list, or NULL when not asked for */
    mpz_t t1, t2, total, rest, due;
} Run;

static int read_int64(PyObject *seq, int64_t *out, Py_ssize_t n, const char *what) {
    if (PySequence_Size(seq) != n) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_ValueError, "%s: expected %zd items", what, n);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_GetItem(seq, i);
        if (!item) return -1;
        long long v = PyLong_AsLongLong(item);
        Py_DECREF(item);
        if (v == -1 && PyErr_Occurred()) return -1;
        out[i] = (int64_t)v;
    }
    return 0;
}

/* Resize *field to cap items of `size` bytes (its content kept). */
static int resize(void *field, Py_ssize_t cap, size_t size) {
    void **at = (void **)field;
    void *grown = PyMem_Realloc(*at, (size_t)cap * size);
    if (!grown) return -1;
    *at = grown;
    return 0;
}

/* The capacity to grow to for `need` items (doubling), or 0 if `have` is enough. */
static Py_ssize_t capacity_for(Py_ssize_t have, Py_ssize_t need) {
    if (need <= have) return 0;
    return have * 2 < need ? need : have * 2;
}

/* An array of a Run and the size of its items. */
typedef struct {
    void *field;
    size_t size;
} Array;

/* Grow the n arrays together to hold `need` items (*capacity updated), then
   `init(r, i)` each new item i when init is given: 0, or -1 when memory runs out. */
static int grow(Run *r, Py_ssize_t *capacity, Py_ssize_t need, const Array *arrays,
                size_t n, void (*init)(Run *, Py_ssize_t)) {
    Py_ssize_t have = *capacity, cap = capacity_for(have, need);
    if (!cap) return 0;
    for (size_t i = 0; i < n; i++)
        if (resize(arrays[i].field, cap, arrays[i].size)) return -1;
    *capacity = cap;
    for (Py_ssize_t i = have; init && i < cap; i++) init(r, i);
    return 0;
}

static void init_class(Run *r, Py_ssize_t i) {
    mpz_init(r->amount[i]);
    r->head[i] = -1;
}

static int grow_classes(Run *r, Py_ssize_t need) {
    const Array arrays[] = {
        {&r->amount, sizeof(mpz_t)}, {&r->epoch, sizeof(int32_t)}, {&r->head, sizeof(int32_t)}};
    return grow(r, &r->capacity, need, arrays, 3, init_class);
}

static int grow_entries(Run *r, Py_ssize_t need) {
    const Array arrays[] = {
        {&r->e_class, sizeof(int32_t)}, {&r->e_next, sizeof(int32_t)},
        {&r->e_new, sizeof(int32_t)},   {&r->e_weight, sizeof(int64_t)},
        {&r->e_many, sizeof(int64_t)},  {&r->e_poor, 1}};
    return grow(r, &r->entry_capacity, need, arrays, 6, NULL);
}

static void init_scale(Run *r, Py_ssize_t i) {
    mpz_init(r->scales[i]);
    mpz_init(r->mult[i]);
}

static int grow_scales(Run *r, Py_ssize_t need) {
    const Array arrays[] = {
        {&r->scales, sizeof(mpz_t)}, {&r->mult, sizeof(mpz_t)}, {&r->mult_at, sizeof(int32_t)}};
    return grow(r, &r->scale_capacity, need, arrays, 3, init_scale);
}

/* The amount of class c at the current scale (rescaled in place when stale). */
static mpz_ptr amount_of(Run *r, int32_t c) {
    int32_t now = (int32_t)(r->epochs - 1);
    int32_t then = r->epoch[c];
    if (then != now) {
        if (r->mult_at[then] != now) {
            mpz_divexact(r->mult[then], r->scales[now], r->scales[then]);
            r->mult_at[then] = now;
        }
        mpz_mul(r->amount[c], r->amount[c], r->mult[then]);
        r->epoch[c] = now;
    }
    return r->amount[c];
}

/* Count p's supporters per (class, weight), class 0 left out. */
static int histogram(Run *r, int32_t p) {
    const Kernel *k = r->k;
    for (Py_ssize_t i = 0; i < r->entries; i++) r->head[r->e_class[i]] = -1;
    r->entries = 0;
    int64_t end = k->sup_ptr[p + 1];
    if (grow_entries(r, end - k->sup_ptr[p]) < 0) return -1; /* at most one each */
    const int32_t *cls = r->cls;
    int32_t *head = r->head;
    for (int64_t s = k->sup_ptr[p]; s < end; s++) {
        int32_t c = cls[k->sup_group[s]];
        if (c == 0) continue;
        int64_t w = k->sup_weight[s];
        int32_t e = head[c];
        if (!k->unit_weights) /* else one entry per class */
            while (e >= 0 && r->e_weight[e] != w) e = r->e_next[e];
        if (e < 0) {
            e = (int32_t)r->entries++;
            r->e_class[e] = c;
            r->e_weight[e] = w;
            r->e_many[e] = 0;
            r->e_next[e] = head[c];
            head[c] = e;
        }
        r->e_many[e] += k->sup_count[s];
    }
    return 0;
}

/* The smallest price at which the counted supporters pay `cost` cents: sets
 * rest and returns weight (rest / weight units per unit of utility), or 0 when
 * they cannot pay. Each pass moves the classes holding less than the current
 * price to the poor (who pay all they have): the price only rises and the poor
 * only grow, and a pass adding none has found it. */
static int64_t price(Run *r, int32_t p) {
    Py_ssize_t n = r->entries;
    mpz_set_ui(r->total, 0);
    int64_t weight = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        mpz_ptr held = amount_of(r, r->e_class[i]);
        mpz_addmul_ui(r->total, held, (unsigned long)r->e_many[i]);
        weight += r->e_weight[i] * r->e_many[i];
        r->e_poor[i] = 0;
    }
    mpz_mul_ui(r->rest, r->scales[r->epochs - 1], (unsigned long)r->k->cost[p]);
    if (mpz_cmp(r->total, r->rest) < 0) return 0;
    for (;;) {
        int added = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (r->e_poor[i]) continue;
            mpz_ptr held = r->amount[r->e_class[i]];
            mpz_mul_ui(r->t1, held, (unsigned long)weight);
            mpz_mul_ui(r->t2, r->rest, (unsigned long)r->e_weight[i]);
            if (mpz_cmp(r->t1, r->t2) < 0) {
                r->e_poor[i] = 2; /* poor from this pass on */
                added = 1;
            }
        }
        if (!added) break;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (r->e_poor[i] != 2) continue;
            r->e_poor[i] = 1;
            mpz_submul_ui(r->rest, r->amount[r->e_class[i]], (unsigned long)r->e_many[i]);
            weight -= r->e_weight[i] * r->e_many[i];
        }
    }
    return weight;
}

/* key_hi:key_lo = floor(rho x 2**64), or all ones if it does not fit in 128 bits. */
static void approximate(Run *r, int32_t p) {
    mpz_mul_2exp(r->t1, r->key_num[p], 64);
    mpz_fdiv_q(r->t1, r->t1, r->key_den[p]);
    if (mpz_sizeinbase(r->t1, 2) > 128) {
        r->key_hi[p] = r->key_lo[p] = UINT64_MAX;
        return;
    }
    r->key_lo[p] = (uint64_t)mpz_getlimbn(r->t1, 0);
    r->key_hi[p] = mpz_size(r->t1) > 1 ? (uint64_t)mpz_getlimbn(r->t1, 1) : 0;
}

/* rho = rest / (weight x scale x unit) as the key of p. */
static void set_key(Run *r, int32_t p, int64_t weight) {
    const Kernel *k = r->k;
    mpz_set(r->key_num[p], r->rest);
    mpz_mul_ui(r->key_den[p], r->scales[r->epochs - 1], (unsigned long)weight);
    if (r->by_cost) mpz_mul_ui(r->key_den[p], r->key_den[p], (unsigned long)k->cost[p]);
    approximate(r, p);
}

/* Whether p (of run a) comes before q (of run b): smaller rho, then smaller
 * rank. Runs at two shares are compared this way to prove ranges. */
static int before2(Run *a, int32_t p, Run *b, int32_t q) {
    if (a->key_hi[p] != b->key_hi[q]) return a->key_hi[p] < b->key_hi[q];
    if (a->key_lo[p] != b->key_lo[q]) return a->key_lo[p] < b->key_lo[q];
    mpz_mul(a->t1, a->key_num[p], b->key_den[q]);
    mpz_mul(a->t2, b->key_num[q], a->key_den[p]);
    int c = mpz_cmp(a->t1, a->t2);
    if (c) return c < 0;
    return a->rank[p] < b->rank[q];
}

static int before(Run *r, int32_t p, int32_t q) { return before2(r, p, r, q); }

static void heap_push(Run *r, int32_t p) {
    Py_ssize_t i = r->heap_size++;
    r->heap[i] = p;
    while (i > 0) {
        Py_ssize_t up = (i - 1) / 2;
        if (!before(r, r->heap[i], r->heap[up])) break;
        int32_t t = r->heap[i]; r->heap[i] = r->heap[up]; r->heap[up] = t;
        i = up;
    }
}

/* Move the entry at i down to its place in the heap. */
static void sift_down(Run *r, Py_ssize_t i) {
    int32_t *h = r->heap;
    Py_ssize_t n = r->heap_size;
    for (;;) {
        Py_ssize_t l = 2 * i + 1, m = i;
        if (l < n && before(r, h[l], h[m])) m = l;
        if (l + 1 < n && before(r, h[l + 1], h[m])) m = l + 1;
        if (m == i) return;
        int32_t t = h[i]; h[i] = h[m]; h[m] = t;
        i = m;
    }
}

static int32_t heap_pop(Run *r) {
    int32_t top = r->heap[0];
    r->heap[0] = r->heap[--r->heap_size];
    sift_down(r, 0);
    return top;
}

static PyObject *to_python(mpz_srcptr value) {
    char *text = mpz_get_str(NULL, 16, value);
    if (!text) return PyErr_NoMemory();
    PyObject *result = PyLong_FromString(text, NULL, 16);
    void (*release)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &release);
    release(text, strlen(text) + 1);
    return result;
}

/* Append one trace event (a tuple built by Py_BuildValue) to the run's list. */
static int event(Run *r, PyObject *item) {
    if (!item) return -1;
    int failed = PyList_Append(r->events, item);
    Py_DECREF(item);
    return failed;
}

/* Buy p (histogram and rest/weight computed): supporters pay
 * min(amount, price x weight), each class moving to a new class or to 0. */
static int buy(Run *r, int32_t p, int64_t weight) {
    const Kernel *k = r->k;
    unsigned long g = mpz_gcd_ui(NULL, r->rest, (unsigned long)weight);
    unsigned long factor = (unsigned long)weight / g;
    if (factor > 1) { /* a smaller unit, so that the price is whole */
        if (grow_scales(r, r->epochs + 1) < 0) return -1;
        mpz_mul_ui(r->scales[r->epochs], r->scales[r->epochs - 1], factor);
        r->mult_at[r->epochs] = -1;
        r->epochs++;
    }
    mpz_divexact_ui(r->due, r->rest, g); /* rest x factor / weight */
    int32_t now = (int32_t)(r->epochs - 1);
    if (grow_classes(r, r->classes + r->entries) < 0) return -1;
    long long in_full = 0, all_left = 0; /* voters, for the trace */
    for (Py_ssize_t i = 0; i < r->entries; i++) {
        mpz_ptr held = amount_of(r, r->e_class[i]);
        mpz_mul_ui(r->t1, r->due, (unsigned long)r->e_weight[i]);
        int enough = mpz_cmp(held, r->t1);
        if (enough >= 0) in_full += r->e_many[i];
        else if (mpz_sgn(held)) all_left += r->e_many[i];
        if (enough <= 0) {
            r->e_new[i] = 0;
        } else {
            int32_t c = (int32_t)r->classes++;
            mpz_sub(r->amount[c], held, r->t1);
            r->epoch[c] = now;
            r->e_new[i] = c;
        }
    }
    for (int64_t s = k->sup_ptr[p]; s < k->sup_ptr[p + 1]; s++) {
        int32_t grp = k->sup_group[s];
        int32_t c = r->cls[grp];
        if (c == 0) continue;
        int64_t w = k->sup_weight[s];
        int32_t e = r->head[c];
        while (r->e_weight[e] != w) e = r->e_next[e];
        r->cls[grp] = r->e_new[e];
    }
    if (r->events) { /* the price is due / scale cents per unit of utility */
        PyObject *due = to_python(r->due);
        PyObject *scale = to_python(r->scales[now]);
        int failed = !due || !scale
                     || event(r, Py_BuildValue("(siOOLL)", "selected", p, due, scale,
                                               in_full, all_left)) < 0;
        Py_XDECREF(due);
        Py_XDECREF(scale);
        if (failed) return -1;
    }
    return 0;
}

static void run_free(Run *r) {
    if (!r) return;
    for (Py_ssize_t i = 0; i < r->capacity; i++) mpz_clear(r->amount[i]);
    for (Py_ssize_t i = 0; i < r->scale_capacity; i++) {
        mpz_clear(r->scales[i]);
        mpz_clear(r->mult[i]);
    }
    for (Py_ssize_t i = 0; i < r->k->projects; i++) {
        mpz_clear(r->key_num[i]);
        mpz_clear(r->key_den[i]);
    }
    PyMem_Free(r->cls); PyMem_Free(r->amount); PyMem_Free(r->epoch);
    PyMem_Free(r->scales); PyMem_Free(r->mult); PyMem_Free(r->mult_at);
    PyMem_Free(r->head);
    PyMem_Free(r->e_class); PyMem_Free(r->e_next); PyMem_Free(r->e_new);
    PyMem_Free(r->e_weight); PyMem_Free(r->e_many); PyMem_Free(r->e_poor);
    PyMem_Free(r->key_num); PyMem_Free(r->key_den);
    PyMem_Free(r->key_hi); PyMem_Free(r->key_lo);
    PyMem_Free(r->heap); PyMem_Free(r->rank);
    mpz_clear(r->t1); mpz_clear(r->t2); mpz_clear(r->total);
    mpz_clear(r->rest); mpz_clear(r->due);
    PyMem_Free(r);
}

/* A run's buffers, allocated once per kernel and reused by every run. */
static Run *run_new(const Kernel *k) {
    Py_ssize_t P = k->projects;
    Run *r = PyMem_Calloc(1, sizeof(Run));
    if (!r) return NULL;
    r->k = k;
    mpz_init(r->t1); mpz_init(r->t2); mpz_init(r->total); mpz_init(r->rest); mpz_init(r->due);
    r->cls = PyMem_Malloc((k->groups + 1) * sizeof(int32_t));
    r->rank = PyMem_Malloc((P + 1) * sizeof(int64_t));
    r->key_hi = PyMem_Malloc((P + 1) * sizeof(uint64_t));
    r->key_lo = PyMem_Malloc((P + 1) * sizeof(uint64_t));
    r->heap = PyMem_Malloc((P + 1) * sizeof(int32_t));
    r->key_num = PyMem_Malloc((P + 1) * sizeof(mpz_t));
    r->key_den = PyMem_Malloc((P + 1) * sizeof(mpz_t));
    if (!r->key_num || !r->key_den) {  /* run_free clears P keys: have them all */
        PyMem_Free(r->key_num); PyMem_Free(r->key_den);
        r->key_num = r->key_den = NULL;
        r->k = &(const Kernel){.projects = 0};
        run_free(r);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < P; i++) { mpz_init(r->key_num[i]); mpz_init(r->key_den[i]); }
    if (!r->cls || !r->rank || !r->key_hi || !r->key_lo || !r->heap
        || grow_classes(r, 64) < 0 || grow_entries(r, 64) < 0 || grow_scales(r, 16) < 0) {
        run_free(r);
        return NULL;
    }
    return r;
}

/* Start a run at `start` units per voter (a Python int, cents x voters). */
static int run_reset(Kernel *self, Run *r, PyObject *ranks_seq, int by_cost,
                     PyObject *start_obj) {
    Py_ssize_t P = self->projects;
    if (read_int64(ranks_seq, r->rank, P, "ranks") < 0) return -1;
    PyObject *start_text = PyNumber_ToBase(start_obj, 16);
    if (!start_text) return -1;
    const char *hex = PyUnicode_AsUTF8(start_text);
    if (!hex) { Py_DECREF(start_text); return -1; }
    /* class 0 holds nothing; class 1, every voter at the start */
    int negative = hex[0] == '-';
    mpz_set_str(r->amount[1], hex + negative + 2, 16); /* past "0x" */
    Py_DECREF(start_text);
    if (negative) mpz_neg(r->amount[1], r->amount[1]);
    mpz_set_ui(r->amount[0], 0);
    r->epoch[0] = r->epoch[1] = 0;
    r->classes = 2;
    mpz_set_si(r->scales[0], (long)self->voters);
    r->mult_at[0] = -1;
    r->epochs = 1;
    r->by_cost = by_cost;
    r->heap_size = 0;
    r->spent = 0;
    for (Py_ssize_t g = 0; g < self->groups; g++) r->cls[g] = 1;
    for (int32_t p = 0; p < P; p++) {
        if (!self->cost[p] || !self->total_weight[p]) continue;
        mpz_set_si(r->key_num[p], (long)self->cost[p]);
        mpz_set_si(r->key_den[p], (long)self->total_weight[p]);
        if (by_cost) mpz_mul_si(r->key_den[p], r->key_den[p], (long)self->cost[p]);
        approximate(r, p);
        heap_push(r, p);
    }
    return 0;
}

/* Evaluate p now: its exact key, and its weight (0: unaffordable). */
static int64_t evaluate(Run *r, int32_t p, int *failed) {
    if (histogram(r, p) < 0) { *failed = 1; return 0; }
    int64_t weight = price(r, p);
    if (weight) set_key(r, p, weight);
    return weight;
}

/* The next project to buy, with its histogram and price ready for `buy`
 * (-1: none is affordable; -2: out of memory). Keys in the heap are lower
 * bounds of rho, which never falls within a run: the top is evaluated, and
 * bought if it stays at the top. */
static int32_t next_winner(Run *r, int64_t *weight) {
    int failed = 0;
    while (r->heap_size) {
        int32_t p = heap_pop(r);
        *weight = evaluate(r, p, &failed);
        if (failed) return -2;
        if (!*weight) { /* its supporters cannot pay for it any more */
            if (r->events
                && event(r, Py_BuildValue("(siL)", "unaffordable", p, r->spent)) < 0)
                return -2;
            continue;
        }
        if (r->heap_size && before(r, r->heap[0], p)) {
            heap_push(r, p);
            continue;
        }
        return p;
    }
    return -1;
}

/* Whether p and q have the same rho (their keys, exactly). */
static int keys_equal(Run *r, int32_t p, int32_t q) {
    if (r->key_hi[p] != r->key_hi[q] || r->key_lo[p] != r->key_lo[q]) return 0;
    mpz_mul(r->t1, r->key_num[p], r->key_den[q]);
    mpz_mul(r->t2, r->key_num[q], r->key_den[p]);
    return mpz_cmp(r->t1, r->t2) == 0;
}

static void heapify(Run *r) {
    for (Py_ssize_t j = r->heap_size / 2; j-- > 0;) sift_down(r, j);
}

/* For the trace: the projects whose rho equals that of p, the winner (the
 * tie-break chose p), as a "tie" event; p is evaluated again after them, ready
 * for `buy`. Their heap keys are left as they were, as the Python kernel does,
 * so that the run goes on in the same order and writes the same trace. */
static int note_ties(Run *r, int32_t p, int64_t *weight) {
    Py_ssize_t n = 0;
    int32_t *found = PyMem_Malloc((r->heap_size + 1) * sizeof(int32_t));
    if (!found) { PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < r->heap_size; i++)
        if (keys_equal(r, r->heap[i], p)) found[n++] = r->heap[i];
    if (!n) { PyMem_Free(found); return 0; }
    for (Py_ssize_t i = 1; i < n; i++) /* by rank */
        for (Py_ssize_t j = i; j > 0 && r->rank[found[j]] < r->rank[found[j - 1]]; j--) {
            int32_t t = found[j]; found[j] = found[j - 1]; found[j - 1] = t;
        }
    PyObject *tied = PyList_New(0);
    int failed = !tied;
    mpz_t num, den; /* q's heap key, put back after its evaluation */
    mpz_init(num);
    mpz_init(den);
    for (Py_ssize_t i = 0; i < n && !failed; i++) {
        int32_t q = found[i];
        uint64_t hi = r->key_hi[q], lo = r->key_lo[q];
        mpz_set(num, r->key_num[q]);
        mpz_set(den, r->key_den[q]);
        int64_t w = evaluate(r, q, &failed);
        if (!failed && w && keys_equal(r, q, p)) {
            PyObject *index = PyLong_FromLong(q);
            failed = !index || PyList_Append(tied, index) < 0;
            Py_XDECREF(index);
        }
        mpz_set(r->key_num[q], num);
        mpz_set(r->key_den[q], den);
        r->key_hi[q] = hi;
        r->key_lo[q] = lo;
    }
    mpz_clear(num);
    mpz_clear(den);
    PyMem_Free(found);
    if (!failed) *weight = evaluate(r, p, &failed);
    if (!failed && PyList_GET_SIZE(tied))
        failed = event(r, Py_BuildValue("(siO)", "tie", p, tied)) < 0;
    Py_XDECREF(tied);
    if (failed && !PyErr_Occurred()) PyErr_NoMemory();
    return failed ? -1 : 0;
}

static int record(PyObject *order, int32_t p) {
    PyObject *index = PyLong_FromLong(p);
    if (!index || PyList_Append(order, index) < 0) {
        Py_XDECREF(index);
        return -1;
    }
    Py_DECREF(index);
    return 0;
}

/* Finish run r alone, appending its purchases to `order`. */
static int finish(Run *r, PyObject *order) {
    for (;;) {
        int64_t weight;
        int32_t p = next_winner(r, &weight);
        if (p == -1) return 0;
        if (p >= 0 && r->events && note_ties(r, p, &weight) < 0) return -1;
        if (p == -2 || buy(r, p, weight) < 0) {
            if (!PyErr_Occurred()) PyErr_NoMemory();
            return -1;
        }
        r->spent += r->k->cost[p];
        if (record(order, p) < 0) return -1;
    }
}

static int ensure_states(Kernel *self) {
    if (!self->state && !(self->state = run_new(self))) return -1;
    if (!self->other && !(self->other = run_new(self))) return -1;
    return 0;
}

/* Kernel.run(ranks, by_cost, start, trace=False): (purchase order, cents
 * spent), and with trace the events of the run as a third item:
 * ("selected", p, due, scale, paid_in_full, paid_all_left): p bought at due /
 * scale cents per unit of utility, voters paying in full or all they had left;
 * ("unaffordable", p, cents spent so far); ("tie", p, [q, ...]): p won against
 * these projects of equal rho, by rank. */
static PyObject *Kernel_run(Kernel *self, PyObject *args) {
    PyObject *ranks_seq, *start_obj;
    int by_cost, trace = 0;
    if (!PyArg_ParseTuple(args, "OpO!|p", &ranks_seq, &by_cost, &PyLong_Type, &start_obj,
                          &trace))
        return NULL;
    if (ensure_states(self) < 0) return PyErr_NoMemory();
    Run *r = self->state;
    if (run_reset(self, r, ranks_seq, by_cost, start_obj) < 0) return NULL;
    PyObject *order = PyList_New(0);
    PyObject *events = trace ? PyList_New(0) : NULL;
    PyObject *result = NULL;
    if (!order || (trace && !events)) goto done;
    r->events = events;
    int failed = finish(r, order) < 0;
    r->events = NULL;
    if (failed) goto done;
    if (trace)
        result = Py_BuildValue("(OLO)", order, (long long)r->spent, events);
    else
        result = Py_BuildValue("(OL)", order, (long long)r->spent);
done:
    Py_XDECREF(order);
    Py_XDECREF(events);
    return result;
}

/* Whether every project still affordable at b comes after p of run a, each
 * evaluated exactly at b (and pushed back with its exact key). On success, p
 * is out of b's heap and evaluated at b last, ready for `buy` (its weight in
 * *weight): the histogram and price of run b are p's. */
static int stays_behind(Run *a, int32_t p, Run *b, int64_t *weight, int *failed) {
    int found = 0;
    while (b->heap_size && (before2(b, b->heap[0], a, p) || b->heap[0] == p)) {
        int32_t q = heap_pop(b);
        if (q == p) {
            found = 1;
            continue;
        }
        int64_t w = evaluate(b, q, failed);
        if (*failed) return 0;
        if (!w) continue; /* unaffordable at b, so at every share below */
        if (before2(b, q, a, p)) return 0;
        heap_push(b, q);
    }
    if (!found) { /* p's lower bound at b lies deeper in the heap: take it out */
        Py_ssize_t i = 0;
        while (i < b->heap_size && b->heap[i] != p) i++;
        if (i == b->heap_size) return 0; /* cannot happen: b holds more than a */
        b->heap[i] = b->heap[--b->heap_size];
        heapify(b);
    }
    *weight = evaluate(b, p, failed);
    return *weight != 0 && !*failed;
}

/* Kernel.run_range(ranks, by_cost, low, high): (purchase order, cents spent,
 * proven) for the share `low`; proven is true when every share from low to
 * high gives that outcome.
 *
 * Both ends run in lockstep. Induction on rounds: while every earlier round
 * bought the same project for every share of the range, the amounts held are
 * non-decreasing in the share, so every rho is non-increasing. The project p
 * bought at `low` is then bought at every share when every other project q
 * still affordable at `high` has there a rho above p's at `low` (ties by
 * rank); a project unaffordable at `high` is so below it. When that fails,
 * the run at `low` goes on alone. */
static PyObject *Kernel_run_range(Kernel *self, PyObject *args) {
    PyObject *ranks_seq, *low_obj, *high_obj;
    int by_cost;
    if (!PyArg_ParseTuple(args, "OpO!O!", &ranks_seq, &by_cost, &PyLong_Type, &low_obj,
                          &PyLong_Type, &high_obj))
        return NULL;
    if (ensure_states(self) < 0) return PyErr_NoMemory();
    Run *a = self->state, *b = self->other;
    if (run_reset(self, a, ranks_seq, by_cost, low_obj) < 0) return NULL;
    if (run_reset(self, b, ranks_seq, by_cost, high_obj) < 0) return NULL;
    PyObject *order = PyList_New(0);
    if (!order) return NULL;
    int proven = 1, failed = 0;
    for (;;) {
        int64_t wa, wb = 0;
        int32_t p = next_winner(a, &wa);
        if (p == -2) goto no_memory;
        if (p == -1) {  /* nothing left at low: nor may there be at high */
            int64_t w;
            int32_t q = next_winner(b, &w);
            if (q == -2) goto no_memory;
            proven = q == -1;
            break;
        }
        if (!stays_behind(a, p, b, &wb, &failed)) {
            if (failed) goto no_memory;
            proven = 0;
            if (buy(a, p, wa) < 0) goto no_memory;
            a->spent += self->cost[p];
            if (record(order, p) < 0) goto error;
            if (finish(a, order) < 0) goto error;
            break;
        }
        if (buy(a, p, wa) < 0 || buy(b, p, wb) < 0) goto no_memory;
        a->spent += self->cost[p];
        if (record(order, p) < 0) goto error;
    }
    PyObject *result = Py_BuildValue("(OLO)", order, (long long)a->spent,
                                     proven ? Py_True : Py_False);
    Py_DECREF(order);
    return result;
no_memory:
    PyErr_NoMemory();
error:
    Py_DECREF(order);
    return NULL;
}

static void Kernel_dealloc(Kernel *self) {
    run_free(self->state);
    run_free(self->other);
    PyMem_Free(self->sup_ptr); PyMem_Free(self->sup_group); PyMem_Free(self->sup_weight);
    PyMem_Free(self->count); PyMem_Free(self->sup_count); PyMem_Free(self->cost); PyMem_Free(self->total_weight);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Kernel(supporters, weights, counts, costs, total_weight, voters): supporters[p]
 * lists the groups supporting p, weights[p] their utility weights (aligned). */
static int Kernel_init(Kernel *self, PyObject *args, PyObject *Py_UNUSED(kwds)) {
    PyObject *supporters, *weights, *counts, *costs, *totals;
    long long voters;
    if (!PyArg_ParseTuple(args, "OOOOOL", &supporters, &weights, &counts, &costs,
                          &totals, &voters))
        return -1;
    Py_ssize_t P = PySequence_Size(supporters), G = PySequence_Size(counts);
    if (P < 0 || G < 0) return -1;
    if (self->sup_ptr) {
        PyErr_SetString(PyExc_RuntimeError, "a kernel is initialised once");
        return -1;
    }
    if (voters <= 0) {
        PyErr_SetString(PyExc_ValueError, "an election with no voter needs no run");
        return -1;
    }
    if (PySequence_Size(weights) != P) {
        PyErr_SetString(PyExc_ValueError, "weights and supporters differ in length");
        return -1;
    }
    self->projects = P;
    self->groups = G;
    self->voters = voters;
    self->sup_ptr = PyMem_Malloc((P + 1) * sizeof(int64_t));
    self->count = PyMem_Malloc((G + 1) * sizeof(int64_t));
    self->cost = PyMem_Malloc((P + 1) * sizeof(int64_t));
    self->total_weight = PyMem_Malloc((P + 1) * sizeof(int64_t));
    if (!self->sup_ptr || !self->count || !self->cost || !self->total_weight) {
        PyErr_NoMemory();
        return -1;
    }
    if (read_int64(counts, self->count, G, "counts") < 0) return -1;
    if (read_int64(costs, self->cost, P, "costs") < 0) return -1;
    if (read_int64(totals, self->total_weight, P, "total_weight") < 0) return -1;
    int64_t total = 0;
    self->sup_ptr[0] = 0;
    for (Py_ssize_t p = 0; p < P; p++) {
        PyObject *item = PySequence_GetItem(supporters, p);
        if (!item) return -1;
        Py_ssize_t size = PySequence_Size(item);
        Py_DECREF(item);
        if (size < 0) return -1;
        total += size;
        self->sup_ptr[p + 1] = total;
    }
    self->sup_group = PyMem_Malloc((total + 1) * sizeof(int32_t));
    self->sup_weight = PyMem_Malloc((total + 1) * sizeof(int64_t));
    self->sup_count = PyMem_Malloc((total + 1) * sizeof(int64_t));
    self->unit_weights = 1;
    if (!self->sup_group || !self->sup_weight || !self->sup_count) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t p = 0; p < P; p++) {
        Py_ssize_t size = (Py_ssize_t)(self->sup_ptr[p + 1] - self->sup_ptr[p]);
        int64_t *at = self->sup_weight + self->sup_ptr[p];
        PyObject *groups = PySequence_GetItem(supporters, p);
        PyObject *ws = PySequence_GetItem(weights, p);
        if (!groups || !ws) { Py_XDECREF(groups); Py_XDECREF(ws); return -1; }
        int failed = read_int64(groups, at, size, "supporters") < 0
                     || read_int64(ws, at, size, "weights") < 0;
        if (!failed) {  /* read the groups again into their own array */
            for (Py_ssize_t i = 0; i < size; i++) {
                PyObject *v = PySequence_GetItem(groups, i);
                long g = v ? PyLong_AsLong(v) : -1;
                Py_XDECREF(v);
                if (g < 0 || g >= G) {
                    if (!PyErr_Occurred())
                        PyErr_SetString(PyExc_ValueError, "supporter out of range");
                    failed = 1;
                    break;
                }
                self->sup_group[self->sup_ptr[p] + i] = (int32_t)g;
            }
        }
        Py_DECREF(groups);
        Py_DECREF(ws);
        if (failed) return -1;
        for (Py_ssize_t i = 0; i < size; i++) {
            self->sup_count[self->sup_ptr[p] + i] = self->count[self->sup_group[self->sup_ptr[p] + i]];
            if (at[i] != 1) self->unit_weights = 0;
            if (at[i] <= 0) {
                PyErr_SetString(PyExc_ValueError, "weights must be positive");
                return -1;
            }
        }
    }
    return 0;
}

static PyMethodDef Kernel_methods[] = {
    {"run", (PyCFunction)Kernel_run, METH_VARARGS,
     "run(ranks, by_cost, start) -> (purchase order, cents spent)"},
    {"run_range", (PyCFunction)Kernel_run_range, METH_VARARGS,
     "run_range(ranks, by_cost, low, high) -> (order, spent, proven) at low"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject KernelType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "budget.counting._mes.Kernel",
    .tp_basicsize = sizeof(Kernel),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An election's supporters, ready for exact MES runs.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Kernel_init,
    .tp_dealloc = (destructor)Kernel_dealloc,
    .tp_methods = Kernel_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_mes", "Exact MES runs in C (see mes.py).", -1,
    NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__mes(void) {
    if (PyType_Ready(&KernelType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&KernelType);
    if (PyModule_AddObject(m, "Kernel", (PyObject *)&KernelType) < 0) {
        Py_DECREF(&KernelType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
