/*
 * nwtrace: a Valgrind tool that records a program's data references and page-table events as the records of a
 * nestwalk trace (docs/trace-format.md, "Records"), for `nestwalk trace capture`.
 *
 * Built out of tree against an installed Valgrind (amd64 Linux only) by org.nestwalk.trace.capture.ToolBuilder:
 *
 *   gcc -O2 -g -fno-pie -fno-stack-protector -fno-builtin -fno-strict-aliasing -fno-omit-frame-pointer \
 *       -DVGA_amd64=1 -DVGO_linux=1 -DVGP_amd64_linux=1 -DVGPV_amd64_linux_vanilla=1 -I/usr/include/valgrind \
 *       -static -nodefaultlibs -nostartfiles -u _start -Wl,--build-id=none -Wl,-Ttext-segment=0x58000000 \
 *       -o nwtrace-amd64-linux nw_main.c libcoregrind-amd64-linux.a libvex-amd64-linux.a -lgcc \
 *       libgcc-sup-amd64-linux.a
 *
 * Options:
 *   --nw-out=PATH          where the records go (a FIFO made by the Java side, or a file); required
 *   --nw-skip-instrs=N     run N instructions (to the superblock) without recording first
 *   --nw-max-refs=N        stop recording after N data references (0: no limit)
 *   --nw-dir=DIR           follow children: other processes and exec'd images write DIR/PID.K (see below)
 *
 * The stream at --nw-out starts with a 24-byte preamble that is not part of the trace format: "NWCAPT01", then the
 * instructions skipped before the first record and the process id, each 8 bytes little-endian. The records follow,
 * ending with END; then the tool closes the stream (the program may go on running, untraced).
 *
 * What is recorded, and what is not:
 *   - Processes: without --nw-dir, only the process valgrind started records; a forked child runs on under the tool
 *     but records nothing, and the parent's stream has FORK with the child's pid. With --nw-dir=DIR (valgrind run with
 *     --trace-children=yes), every process records: the first tool instance to create DIR/root (O_EXCL) writes to
 *     --nw-out; a forked child (VG_(atfork) child handler) and every program image valgrind starts for an execve
 *     write to their own file DIR/PID.K, K the smallest number free for that pid (0 for a new process, 1, 2, ... for
 *     its exec'd images), each stream with its own preamble, its own --nw-skip-instrs and --nw-max-refs, and its own
 *     END. The Java side appends them to the trace after the first stream (TraceCapture).
 *   - execve: when the target is an executable file, the tool records EXEC and END before the call; the new program
 *     runs untraced without --trace-children=yes, or under a new tool instance writing DIR/PID.K with it.
 *   - PRESENT: when recording starts (after --nw-skip-instrs), one event per run of resident pages of the client's
 *     mappings, from /proc/self/pagemap; a forked child's stream has none (it starts in its parent's pages).
 *   - Sizes: references of 1..64 bytes that are not a power of two (e.g. 10-byte x87 loads, odd dirty-helper
 *     sizes) are ROUNDED UP to the next power of two; references of more than 64 bytes (e.g. FXSAVE/XSAVE areas)
 *     are SPLIT into 64-byte references at address, address + 64, ... (the last one rounded up), the first one
 *     carrying the gap and the others a gap of 0.
 */

#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_machine.h"
#include "pub_tool_options.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_transtab.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_threadstate.h"

/* Core functions and variables that are not in the tool headers; the tool is linked statically against
   libcoregrind, so they are there (valgrind 3.19). */
extern Int VG_(safe_fd)(Int oldfd);
extern Int VG_(check_executable)(Bool *is_setuid, const HChar *f, Bool allow_setuid);
extern Addr VG_(brk_limit);
/* Set by the core around client requests, when no translation is running; start_client_code is such a time too. */
extern Bool VG_(ok_to_discard_translations);

/* Event kinds of docs/trace-format.md. */
#define EV_MMAP 1
#define EV_MUNMAP 2
#define EV_MPROTECT 3
#define EV_BRK 4
#define EV_MREMAP 5
#define EV_FORK 6
#define EV_EXEC 7
#define EV_EXIT 8
#define EV_SWITCH 9
#define EV_KERNEL_TOUCH 10
#define EV_IPAGE 11
#define EV_PRESENT 12
#define EV_SYSCALL 13
#define EV_END 127

/* The tool's state. */
#define ST_SKIP 0 /* fast-forwarding: only instructions are counted */
#define ST_REC 1  /* recording */
#define ST_DONE 2 /* END written (or never to be written, in a forked child): nothing more is recorded */

static const HChar *clo_out = NULL;
static const HChar *clo_dir = NULL;
static ULong clo_skip = 0;
static ULong clo_max_refs = 0;

static Int state = ST_REC;
static Bool need_discard = False; /* the translations must be redone (state changed) */
static Int out_fd = -1;

/* Instructions executed so far (to the last flush point of the running superblock). */
static ULong icount = 0;
/* icount at the last record written. */
static ULong last_record_icount = 0;
/* The instruction page (address >> 12) last fetched from, or ~0. */
static ULong cur_ipage = ~0ULL;
static ULong skipped = 0;
static Addr previous_address = 0;
static ULong n_refs = 0;
static ULong n_events = 0;
static ThreadId last_tid = VG_INVALID_THREADID;
static Bool exit_recorded = False;
static Bool write_failed = False;

#define BUF_SIZE (4 << 20)
static UChar buf[BUF_SIZE];
static Int buf_pos = 0;

/*------------------------------------------------------------*/
/*--- Output                                               ---*/
/*------------------------------------------------------------*/

static void write_all(const UChar *p, Int n)
{
    while (n > 0 && !write_failed) {
        Int w = VG_(write)(out_fd, p, n);
        if (w == -VKI_EINTR || w == -VKI_EAGAIN) {
            continue;
        }
        if (w <= 0) {
            VG_(umsg)("nwtrace: cannot write the trace records (error %d); recording stops\n", -w);
            write_failed = True;
            state = ST_DONE;
            need_discard = True;
            return;
        }
        p += w;
        n -= w;
    }
}

static void flush(void)
{
    if (buf_pos > 0 && out_fd >= 0) {
        write_all(buf, buf_pos);
    }
    buf_pos = 0;
}

static inline Int put_varint(UChar *b, Int pos, ULong v)
{
    while (v >= 0x80) {
        b[pos++] = (UChar)(v | 0x80);
        v >>= 7;
    }
    b[pos++] = (UChar)v;
    return pos;
}

static inline ULong take_gap(void)
{
    ULong gap = icount - last_record_icount;
    last_record_icount = icount;
    return gap;
}

static void emit_event(Int kind, Int nfields, ULong f0, ULong f1, ULong f2, ULong f3)
{
    UChar payload[64];
    ULong f[4];
    Int n, i;
    if (state != ST_REC) {
        return;
    }
    f[0] = f0;
    f[1] = f1;
    f[2] = f2;
    f[3] = f3;
    n = put_varint(payload, 0, take_gap());
    if (kind == EV_END) {
        n = put_varint(payload, n, n_refs);
        n = put_varint(payload, n, n_events);
    } else {
        for (i = 0; i < nfields; i++) {
            n = put_varint(payload, n, f[i]);
        }
        n_events++;
    }
    if (buf_pos > BUF_SIZE - 128) {
        flush();
    }
    buf[buf_pos++] = (UChar)(0x80 | kind);
    buf_pos = put_varint(buf, buf_pos, (ULong)n);
    VG_(memcpy)(buf + buf_pos, payload, n);
    buf_pos += n;
}

/* Writes END, flushes and closes the stream; nothing is recorded after. */
static void finish(void)
{
    if (state != ST_REC) {
        return;
    }
    emit_event(EV_END, 0, 0, 0, 0, 0);
    flush();
    if (out_fd >= 0) {
        VG_(close)(out_fd);
        out_fd = -1;
    }
    state = ST_DONE;
    need_discard = True;
}

static inline void emit_ref1(Addr a, UInt log, Bool store, ULong gap)
{
    Long delta = (Long)(a - previous_address);
    UInt small = gap < 7 ? (UInt)gap : 7;
    if (buf_pos > BUF_SIZE - 32) {
        flush();
    }
    buf[buf_pos++] = (UChar)((store ? 1 : 0) | log << 1 | small << 4);
    if (small == 7) {
        buf_pos = put_varint(buf, buf_pos, gap - 7);
    }
    buf_pos = put_varint(buf, buf_pos, (ULong)(delta << 1) ^ (ULong)(delta >> 63));
    previous_address = a;
    n_refs++;
    if (clo_max_refs != 0 && n_refs >= clo_max_refs) {
        finish();
    }
}

static inline UInt log2_up(UInt size)
{
    UInt log = 0;
    while ((1u << log) < size) {
        log++;
    }
    return log;
}

/* A reference of any size: rounded up to a power of two when <= 64 bytes, split into 64-byte pieces when larger. */
static void emit_ref(Addr a, UInt size, Bool store)
{
    ULong gap = take_gap();
    while (size > 64) {
        emit_ref1(a, 6, store, gap);
        if (state != ST_REC) {
            return;
        }
        gap = 0;
        a += 64;
        size -= 64;
    }
    if (size > 0) {
        emit_ref1(a, log2_up(size), store, gap);
    }
}

/*------------------------------------------------------------*/
/*--- Helpers called from instrumented code                ---*/
/*------------------------------------------------------------*/

/* info: bit 0 store, bits 1..31 size in bytes, bits 32..63 instructions to add to icount first. */
static VG_REGPARM(2) void nw_ref(Addr a, ULong info)
{
    icount += info >> 32;
    if (state == ST_REC) {
        emit_ref(a, (UInt)(info >> 1) & 0x7FFFFFFF, (Bool)(info & 1));
    }
}

static VG_REGPARM(2) void nw_ipage(ULong page, ULong pending)
{
    icount += pending;
    cur_ipage = page;
    emit_event(EV_IPAGE, 1, page << 12, 0, 0, 0);
}

/*------------------------------------------------------------*/
/*--- Instrumentation                                      ---*/
/*------------------------------------------------------------*/

static void add_icount(IRSB *sb, ULong n)
{
    IRTemp t1, t2;
    if (n == 0) {
        return;
    }
    t1 = newIRTemp(sb->tyenv, Ity_I64);
    t2 = newIRTemp(sb->tyenv, Ity_I64);
    addStmtToIRSB(sb, IRStmt_WrTmp(t1, IRExpr_Load(Iend_LE, Ity_I64, mkIRExpr_HWord((HWord)&icount))));
    addStmtToIRSB(sb, IRStmt_WrTmp(t2, IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(t1), IRExpr_Const(IRConst_U64(n)))));
    addStmtToIRSB(sb, IRStmt_Store(Iend_LE, mkIRExpr_HWord((HWord)&icount), IRExpr_RdTmp(t2)));
}

/* A call of nw_ref for a reference at addr; guard NULL for an unconditional one. */
static void add_ref(IRSB *sb, IRExpr *addr, Int size, Bool store, IRExpr *guard, ULong *pending)
{
    IRDirty *di;
    ULong info;
    if (guard != NULL) {
        /* The call may not run: the instructions are counted by inline code. */
        add_icount(sb, *pending);
        *pending = 0;
    }
    info = (*pending << 32) | ((ULong)(UInt)size << 1) | (store ? 1 : 0);
    *pending = 0;
    di = unsafeIRDirty_0_N(2, "nw_ref", VG_(fnptr_to_fnentry)(&nw_ref),
                           mkIRExprVec_2(addr, IRExpr_Const(IRConst_U64(info))));
    if (guard != NULL) {
        di->guard = guard;
    }
    addStmtToIRSB(sb, IRStmt_Dirty(di));
}

static IRSB *nw_instrument(VgCallbackClosure *closure, IRSB *sbIn, const VexGuestLayout *layout,
                           const VexGuestExtents *vge, const VexArchInfo *archinfo_host, IRType gWordTy,
                           IRType hWordTy)
{
    IRSB *sbOut;
    Int i;
    ULong pending = 0;
    ULong prev_page = ~0ULL;
    Bool first = True;
    Bool rec = state == ST_REC;
    IRTypeEnv *tyenv = sbIn->tyenv;

    if (state == ST_DONE) {
        return sbIn;
    }
    sbOut = deepCopyIRSBExceptStmts(sbIn);
    i = 0;
    while (i < sbIn->stmts_used && sbIn->stmts[i]->tag != Ist_IMark) {
        addStmtToIRSB(sbOut, sbIn->stmts[i]);
        i++;
    }
    for (; i < sbIn->stmts_used; i++) {
        IRStmt *st = sbIn->stmts[i];
        if (st == NULL || st->tag == Ist_NoOp) {
            continue;
        }
        switch (st->tag) {
        case Ist_IMark: {
            ULong page = (ULong)st->Ist.IMark.addr >> 12;
            if (first) {
                addStmtToIRSB(sbOut, st);
                first = False;
                if (!rec) {
                    /* Fast-forward: once enough instructions ran, go back to the scheduler before this block, so
                       that start_client_code switches to recording and this block is translated again. */
                    IRTemp t1 = newIRTemp(sbOut->tyenv, Ity_I64);
                    IRTemp t2 = newIRTemp(sbOut->tyenv, Ity_I1);
                    addStmtToIRSB(sbOut, IRStmt_WrTmp(t1, IRExpr_Load(Iend_LE, Ity_I64,
                                                                      mkIRExpr_HWord((HWord)&icount))));
                    addStmtToIRSB(sbOut, IRStmt_WrTmp(t2, IRExpr_Binop(Iop_CmpLE64U,
                                                                       IRExpr_Const(IRConst_U64(clo_skip)),
                                                                       IRExpr_RdTmp(t1))));
                    addStmtToIRSB(sbOut, IRStmt_Exit(IRExpr_RdTmp(t2), Ijk_Yield,
                                                     IRConst_U64((ULong)st->Ist.IMark.addr), layout->offset_IP));
                } else {
                    /* IPAGE when this block's page is not the one last fetched from. */
                    IRTemp t1 = newIRTemp(sbOut->tyenv, Ity_I64);
                    IRTemp t2 = newIRTemp(sbOut->tyenv, Ity_I1);
                    IRDirty *di;
                    addStmtToIRSB(sbOut, IRStmt_WrTmp(t1, IRExpr_Load(Iend_LE, Ity_I64,
                                                                      mkIRExpr_HWord((HWord)&cur_ipage))));
                    addStmtToIRSB(sbOut, IRStmt_WrTmp(t2, IRExpr_Binop(Iop_CmpNE64, IRExpr_RdTmp(t1),
                                                                       IRExpr_Const(IRConst_U64(page)))));
                    di = unsafeIRDirty_0_N(2, "nw_ipage", VG_(fnptr_to_fnentry)(&nw_ipage),
                                           mkIRExprVec_2(IRExpr_Const(IRConst_U64(page)),
                                                         IRExpr_Const(IRConst_U64(0))));
                    di->guard = IRExpr_RdTmp(t2);
                    addStmtToIRSB(sbOut, IRStmt_Dirty(di));
                }
            } else {
                if (rec && page != prev_page) {
                    IRDirty *di = unsafeIRDirty_0_N(2, "nw_ipage", VG_(fnptr_to_fnentry)(&nw_ipage),
                                                    mkIRExprVec_2(IRExpr_Const(IRConst_U64(page)),
                                                                  IRExpr_Const(IRConst_U64(pending))));
                    pending = 0;
                    addStmtToIRSB(sbOut, IRStmt_Dirty(di));
                }
                addStmtToIRSB(sbOut, st);
            }
            prev_page = page;
            pending++;
            break;
        }
        case Ist_Exit:
            add_icount(sbOut, pending);
            pending = 0;
            addStmtToIRSB(sbOut, st);
            break;
        case Ist_WrTmp:
            if (rec && st->Ist.WrTmp.data->tag == Iex_Load) {
                IRExpr *data = st->Ist.WrTmp.data;
                add_ref(sbOut, data->Iex.Load.addr, sizeofIRType(data->Iex.Load.ty), False, NULL, &pending);
            }
            addStmtToIRSB(sbOut, st);
            break;
        case Ist_Store:
            if (rec) {
                add_ref(sbOut, st->Ist.Store.addr, sizeofIRType(typeOfIRExpr(tyenv, st->Ist.Store.data)), True,
                        NULL, &pending);
            }
            addStmtToIRSB(sbOut, st);
            break;
        case Ist_LoadG:
            if (rec) {
                IRLoadG *lg = st->Ist.LoadG.details;
                IRType wide = Ity_INVALID, ty = Ity_INVALID;
                typeOfIRLoadGOp(lg->cvt, &wide, &ty);
                add_ref(sbOut, lg->addr, sizeofIRType(ty), False, lg->guard, &pending);
            }
            addStmtToIRSB(sbOut, st);
            break;
        case Ist_StoreG:
            if (rec) {
                IRStoreG *sg = st->Ist.StoreG.details;
                add_ref(sbOut, sg->addr, sizeofIRType(typeOfIRExpr(tyenv, sg->data)), True, sg->guard, &pending);
            }
            addStmtToIRSB(sbOut, st);
            break;
        case Ist_CAS:
            if (rec) {
                IRCAS *cas = st->Ist.CAS.details;
                Int size = sizeofIRType(typeOfIRExpr(tyenv, cas->dataLo)) * (cas->dataHi != NULL ? 2 : 1);
                add_ref(sbOut, cas->addr, size, False, NULL, &pending);
                add_ref(sbOut, cas->addr, size, True, NULL, &pending);
            }
            addStmtToIRSB(sbOut, st);
            break;
        case Ist_LLSC:
            if (rec) {
                if (st->Ist.LLSC.storedata == NULL) {
                    add_ref(sbOut, st->Ist.LLSC.addr, sizeofIRType(typeOfIRTemp(tyenv, st->Ist.LLSC.result)),
                            False, NULL, &pending);
                } else {
                    add_ref(sbOut, st->Ist.LLSC.addr, sizeofIRType(typeOfIRExpr(tyenv, st->Ist.LLSC.storedata)),
                            True, NULL, &pending);
                }
            }
            addStmtToIRSB(sbOut, st);
            break;
        case Ist_Dirty:
            if (rec) {
                IRDirty *d = st->Ist.Dirty.details;
                if (d->mFx != Ifx_None && d->mSize > 0) {
                    IRExpr *guard = d->guard;
                    if (guard != NULL && guard->tag == Iex_Const && guard->Iex.Const.con->tag == Ico_U1
                        && guard->Iex.Const.con->Ico.U1) {
                        guard = NULL;
                    }
                    if (d->mFx == Ifx_Read || d->mFx == Ifx_Modify) {
                        add_ref(sbOut, d->mAddr, d->mSize, False, guard, &pending);
                    }
                    if (d->mFx == Ifx_Write || d->mFx == Ifx_Modify) {
                        add_ref(sbOut, d->mAddr, d->mSize, True, guard, &pending);
                    }
                }
            }
            addStmtToIRSB(sbOut, st);
            break;
        default:
            addStmtToIRSB(sbOut, st);
            break;
        }
    }
    add_icount(sbOut, pending);
    return sbOut;
}

/*------------------------------------------------------------*/
/*--- Scheduler, threads, fork                             ---*/
/*------------------------------------------------------------*/

/* The 24 bytes every stream starts with: "NWCAPT01", the instructions skipped and the process id. */
static void write_preamble(ULong skipped_instrs)
{
    UChar pre[24];
    ULong pid = (ULong)VG_(getpid)();
    Int i;
    VG_(memcpy)(pre, "NWCAPT01", 8);
    for (i = 0; i < 8; i++) {
        pre[8 + i] = (UChar)(skipped_instrs >> (8 * i));
        pre[16 + i] = (UChar)(pid >> (8 * i));
    }
    write_all(pre, 24);
}

/* Emits PRESENT for every run of pages of the client's mappings that is resident (bit 63 of /proc/self/pagemap, which
   an unprivileged process may read): what the program had touched before the trace begins. Nothing when the
   kernel does not offer pagemap. */
static void emit_present(void)
{
    static Addr starts[8192];
    static ULong entries[512];
    Int n, i, fd;
    SysRes r = VG_(open)("/proc/self/pagemap", VKI_O_RDONLY, 0);
    if (sr_isError(r)) {
        VG_(umsg)("nwtrace: cannot read /proc/self/pagemap; the trace has no PRESENT records\n");
        return;
    }
    fd = (Int)sr_Res(r);
    n = VG_(am_get_segment_starts)(SkAnonC | SkFileC | SkShmC, starts, 8192);
    if (n < 0) {
        VG_(umsg)("nwtrace: more than 8192 mappings; the trace has no PRESENT records\n");
        n = 0;
    }
    for (i = 0; i < n; i++) {
        NSegment const *seg = VG_(am_find_nsegment)(starts[i]);
        Addr page, run_start = 0;
        Bool in_run = False;
        if (seg == NULL || !(seg->hasR || seg->hasW || seg->hasX)) {
            continue;
        }
        for (page = seg->start; page <= seg->end; ) {
            ULong left = ((ULong)seg->end - page + 1) >> 12;
            Int want = left < 512 ? (Int)left : 512;
            Int got, j;
            if (VG_(lseek)(fd, (Off64T)(page >> 12) * 8, VKI_SEEK_SET) < 0) {
                break;
            }
            got = VG_(read)(fd, entries, want * 8) / 8;
            if (got <= 0) {
                break;
            }
            for (j = 0; j < got; j++, page += 4096) {
                Bool present = (entries[j] >> 63) & 1;
                if (present && !in_run) {
                    run_start = page;
                    in_run = True;
                } else if (!present && in_run) {
                    emit_event(EV_PRESENT, 3, run_start, page - run_start, seg->hasW ? 1 : 0, 0);
                    in_run = False;
                }
            }
            if (got < want) {
                break;
            }
        }
        if (in_run) {
            emit_event(EV_PRESENT, 3, run_start, page - run_start, seg->hasW ? 1 : 0, 0);
        }
    }
    VG_(close)(fd);
}

static void start_recording(void)
{
    skipped = icount;
    last_record_icount = icount;
    write_preamble(icount);
    state = write_failed ? ST_DONE : ST_REC;
    emit_present();
}

static void switch_to(ThreadId tid)
{
    if (state == ST_REC && tid != last_tid) {
        last_tid = tid;
        emit_event(EV_SWITCH, 2, (ULong)VG_(getpid)(), (ULong)VG_(gettid)(), 0, 0);
    }
}

static void nw_start_client_code(ThreadId tid, ULong blocks)
{
    if (state == ST_SKIP && icount >= clo_skip) {
        start_recording();
        need_discard = True;
    }
    if (need_discard) {
        need_discard = False;
        VG_(ok_to_discard_translations) = True;
        VG_(discard_translations_safely)((Addr)0x1000, ~(SizeT)0xfff, "nwtrace");
        VG_(ok_to_discard_translations) = False;
    }
    switch_to(tid);
}

/* Opens DIR/PID.K for writing, K the smallest number not yet taken for this pid; -1 when it cannot. */
static Int open_side_file(void)
{
    HChar path[4096];
    Int k;
    for (k = 0; k < 1000; k++) {
        SysRes r;
        VG_(snprintf)(path, sizeof path, "%s/%d.%d", clo_dir, VG_(getpid)(), k);
        r = VG_(open)(path, VKI_O_WRONLY | VKI_O_CREAT | VKI_O_EXCL, 0600);
        if (!sr_isError(r)) {
            return VG_(safe_fd)((Int)sr_Res(r));
        }
        if (sr_Err(r) != VKI_EEXIST) {
            VG_(umsg)("nwtrace: cannot create %s (error %lu); this process records nothing\n", path, sr_Err(r));
            return -1;
        }
    }
    VG_(umsg)("nwtrace: more than 1000 streams for process %d; it records nothing\n", VG_(getpid)());
    return -1;
}

static void nw_atfork_child(ThreadId tid)
{
    /* The child's copy of the buffer belongs to the parent's stream. */
    buf_pos = 0;
    if (out_fd >= 0) {
        VG_(close)(out_fd);
        out_fd = -1;
    }
    if (clo_dir != NULL && state != ST_DONE) {
        /* Following children: the child goes on in a stream of its own, from the fork on. */
        out_fd = open_side_file();
        if (out_fd >= 0) {
            previous_address = 0;
            n_refs = 0;
            n_events = 0;
            exit_recorded = False;
            last_tid = VG_INVALID_THREADID;
            if (state == ST_REC) {
                write_preamble(skipped);
                last_record_icount = icount;
            }
            return;
        }
    }
    if (state != ST_DONE) {
        need_discard = True;
    }
    state = ST_DONE;
}

/*------------------------------------------------------------*/
/*--- System calls and the kernel's touches                ---*/
/*------------------------------------------------------------*/

static Addr brk_before = 0;

/* The length of a client string with its NUL, or 0 when it is not readable memory. */
static SizeT client_strlen(Addr a)
{
    SizeT n = 0;
    Addr page_checked = 0;
    for (;;) {
        Addr p = a + n;
        if (n == 0 || (p & 0xFFF) == 0) {
            if (p >> 12 != page_checked >> 12 || n == 0) {
                if (!VG_(am_is_valid_for_client)(p, 1, VKI_PROT_READ)) {
                    return 0;
                }
                page_checked = p;
            }
        }
        if (*(const HChar *)p == 0) {
            return n + 1;
        }
        n++;
        if (n > (1 << 20)) {
            return n;
        }
    }
}

static void nw_pre_syscall(ThreadId tid, UInt sysno, UWord *args, UInt nArgs)
{
    if (state != ST_REC) {
        return;
    }
    switch_to(tid);
    emit_event(EV_SYSCALL, 1, sysno, 0, 0, 0);
    switch (sysno) {
    case __NR_brk:
        brk_before = VG_(brk_limit);
        break;
    case __NR_exit_group:
        emit_event(EV_EXIT, 1, (ULong)VG_(getpid)(), 0, 0, 0);
        exit_recorded = True;
        break;
    case __NR_execve: {
        Bool setuid = False;
        if (client_strlen(args[0]) > 0 && VG_(check_executable)(&setuid, (const HChar *)args[0], True) == 0) {
            emit_event(EV_EXEC, 0, 0, 0, 0, 0);
            finish();
        }
        break;
    }
    default:
        break;
    }
}

static void nw_post_syscall(ThreadId tid, UInt sysno, UWord *args, UInt nArgs, SysRes res)
{
    ULong r;
    if (state != ST_REC) {
        return;
    }
    if (sysno == __NR_brk) {
        r = sr_Res(res);
        if (r != brk_before && brk_before != 0) {
            switch_to(tid);
            emit_event(EV_BRK, 2, brk_before, r, 0, 0);
        }
        return;
    }
    if (sr_isError(res)) {
        return;
    }
    r = sr_Res(res);
    switch (sysno) {
    case __NR_mmap:
        switch_to(tid);
        emit_event(EV_MMAP, 4, r, args[1], args[2], args[3]);
        break;
    case __NR_munmap:
        switch_to(tid);
        emit_event(EV_MUNMAP, 2, args[0], args[1], 0, 0);
        break;
    case __NR_mprotect:
        switch_to(tid);
        emit_event(EV_MPROTECT, 3, args[0], args[1], args[2], 0);
        break;
    case __NR_mremap:
        switch_to(tid);
        emit_event(EV_MREMAP, 4, args[0], args[1], r, args[2]);
        break;
    case __NR_fork:
    case __NR_vfork:
        if (r > 0) {
            switch_to(tid);
            emit_event(EV_FORK, 1, r, 0, 0, 0);
        }
        break;
    case __NR_clone:
        if (r > 0 && (args[0] & VKI_CLONE_VM) == 0) {
            switch_to(tid);
            emit_event(EV_FORK, 1, r, 0, 0, 0);
        }
        break;
    default:
        break;
    }
}

static void kernel_touch(CorePart part, ThreadId tid, Addr a, SizeT size, Bool write)
{
    if (state != ST_REC || size == 0 || (part != Vg_CoreSysCall && part != Vg_CoreSignal)) {
        return;
    }
    switch_to(tid);
    emit_event(EV_KERNEL_TOUCH, 3, a, size, write ? 1 : 0, 0);
}

static void nw_pre_mem_read(CorePart part, ThreadId tid, const HChar *s, Addr a, SizeT size)
{
    kernel_touch(part, tid, a, size, False);
}

static void nw_pre_mem_read_asciiz(CorePart part, ThreadId tid, const HChar *s, Addr a)
{
    if (state == ST_REC) {
        kernel_touch(part, tid, a, client_strlen(a), False);
    }
}

static void nw_post_mem_write(CorePart part, ThreadId tid, Addr a, SizeT size)
{
    kernel_touch(part, tid, a, size, True);
}

/*------------------------------------------------------------*/
/*--- Options, start and end                               ---*/
/*------------------------------------------------------------*/

static Bool nw_process_cmd_line_option(const HChar *arg)
{
    /* Not named n: VG_INT_CLO declares its own n. */
    Long value = 0;
    if (VG_STR_CLO(arg, "--nw-out", clo_out)) {
        return True;
    }
    if (VG_STR_CLO(arg, "--nw-dir", clo_dir)) {
        return True;
    }
    if (VG_INT_CLO(arg, "--nw-skip-instrs", value)) {
        if (value < 0) {
            return False;
        }
        clo_skip = (ULong)value;
        return True;
    }
    if (VG_INT_CLO(arg, "--nw-max-refs", value)) {
        if (value < 0) {
            return False;
        }
        clo_max_refs = (ULong)value;
        return True;
    }
    return False;
}

static void nw_print_usage(void)
{
    VG_(printf)("    --nw-out=PATH            where the trace records go (required)\n"
                "    --nw-skip-instrs=N       fast-forward N instructions before recording [0]\n"
                "    --nw-max-refs=N          stop recording after N data references (0: no limit) [0]\n"
                "    --nw-dir=DIR             follow children: other processes write DIR/PID.K [none]\n");
}

static void nw_print_debug_usage(void)
{
    VG_(printf)("    (none)\n");
}

static void nw_post_clo_init(void)
{
    SysRes r;
    if (clo_out == NULL) {
        VG_(fmsg_bad_option)("--nw-out", "nwtrace needs --nw-out=PATH (where the records go)\n");
    }
    if (clo_dir != NULL) {
        /* The first instance (the program valgrind started) writes to --nw-out; any later one is a program some
           process of the tree exec'd, under --trace-children=yes, and writes a file of its own. */
        HChar marker[4096];
        VG_(snprintf)(marker, sizeof marker, "%s/root", clo_dir);
        r = VG_(open)(marker, VKI_O_WRONLY | VKI_O_CREAT | VKI_O_EXCL, 0600);
        if (sr_isError(r)) {
            out_fd = open_side_file();
            if (out_fd < 0) {
                state = ST_DONE;
                return;
            }
        } else {
            VG_(close)((Int)sr_Res(r));
        }
    }
    if (out_fd < 0) {
        r = VG_(open)(clo_out, VKI_O_WRONLY | VKI_O_CREAT, 0600);
        if (sr_isError(r)) {
            VG_(fmsg)("nwtrace: cannot open %s (error %lu)\n", clo_out, sr_Err(r));
            VG_(exit)(1);
        }
        out_fd = VG_(safe_fd)((Int)sr_Res(r));
    }
    if (clo_skip == 0) {
        start_recording();
    } else {
        state = ST_SKIP;
    }
}

static void nw_fini(Int exitcode)
{
    if (state == ST_SKIP) {
        /* The program ended before the instructions to skip: an empty trace. */
        start_recording();
    }
    if (state == ST_REC) {
        if (!exit_recorded) {
            emit_event(EV_EXIT, 1, (ULong)VG_(getpid)(), 0, 0, 0);
        }
        finish();
    }
}

static void nw_pre_clo_init(void)
{
    VG_(details_name)("nwtrace");
    VG_(details_version)("1");
    VG_(details_description)("records data references and page-table events for nestwalk");
    VG_(details_copyright_author)("nestwalk");
    VG_(details_bug_reports_to)("nestwalk");
    VG_(details_avg_translation_sizeB)(400);

    VG_(basic_tool_funcs)(nw_post_clo_init, nw_instrument, nw_fini);
    VG_(needs_command_line_options)(nw_process_cmd_line_option, nw_print_usage, nw_print_debug_usage);
    VG_(needs_syscall_wrapper)(nw_pre_syscall, nw_post_syscall);
    VG_(track_pre_mem_read)(nw_pre_mem_read);
    VG_(track_pre_mem_read_asciiz)(nw_pre_mem_read_asciiz);
    VG_(track_post_mem_write)(nw_post_mem_write);
    VG_(track_start_client_code)(nw_start_client_code);
    VG_(atfork)(NULL, NULL, nw_atfork_child);
}

VG_DETERMINE_INTERFACE_VERSION(nw_pre_clo_init)
