using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Proxies.Model.Fused;

/// <summary>
/// The fused CPU kernels (the tanh GELU, causal attention, and the q/k/v split with qk-layernorm and RoPE) and their
/// access to tensor memory. They agree with libtorch's kernels up to float32 rounding (tested against float64, values
/// and gradients), as two GEMM libraries or two CPUs do, so, like the GEMM backend, they are the process's choice and
/// not a run's config: PROXIES_KERNELS=fused (the default) runs them wherever a tensor is one they take (CPU, float32,
/// the shapes each kernel states), libtorch's composed forms elsewhere; PROXIES_KERNELS=libtorch runs libtorch's
/// everywhere (`bench --fused off` times that). The kernels are C# with 256-bit vectors (AVX2 and FMA on x86-64), so
/// nothing is compiled at install time; a CPU without them (Arm64's NEON is 128 bits) runs the composed forms.
/// </summary>
public static class Kernels
{
    public const string Variable = "PROXIES_KERNELS";

    public static (string Word, bool Fused)[] Choices { get; } = [("fused", true), ("libtorch", false)];

    static readonly Runtime.EnvironmentChoice<bool> Setting = new(Variable, Choices, true);

    static bool? enabled;

    /// <summary>Whether the fused kernels run where they can (PROXIES_KERNELS until set). A misspelt PROXIES_KERNELS
    /// throws here, at the first use, saying what is allowed.</summary>
    public static bool Enabled { get => enabled ??= Setting.Read(); set => enabled = value; }

    /// <summary>Why the fused kernels cannot run on a <paramref name="device"/> here, or null: they are CPU kernels for
    /// 256-bit vectors with fused multiply-add (AVX2 and FMA on x86-64).</summary>
    public static string? CannotRun(TorchSharp.DeviceType device) =>
        !Enabled ? $"{Variable}=libtorch"
        : device != TorchSharp.DeviceType.CPU ? $"they are CPU kernels and this run is on {device}"
        : HardwareProblem;

    /// <summary>Why this CPU cannot run the kernels whatever <see cref="Enabled"/> says, or null: they are written for
    /// 256-bit vectors with fused multiply-add (AVX2 and FMA on x86-64).</summary>
    public static string? HardwareProblem =>
        !Vector256.IsHardwareAccelerated || !System.Runtime.Intrinsics.X86.Fma.IsSupported ? "this CPU lacks the AVX2 and FMA instructions they are written for" : null;

    /// <summary>The kernels in use on the CPU in a word, for provenance: "fused" or "libtorch".</summary>
    public static string Label => CannotRun(TorchSharp.DeviceType.CPU) is null ? "fused" : "libtorch";

    /// <summary>One line for logs: which GELU and attention kernels a CPU run uses, and why.</summary>
    public static string Describe() => CannotRun(TorchSharp.DeviceType.CPU) is { } why
        ? $"kernels: libtorch's GELU and attention ({why})"
        : $"kernels: the fused C# GELU (tanh form) and attention wherever a run's tensors allow ({Variable}=libtorch for libtorch's)";

    /// <summary>What is wrong with PROXIES_KERNELS, or null when it is unset or one of <see cref="Choices"/>; the CLI
    /// refuses to start on it.</summary>
    public static string? EnvironmentError() => Setting.Error();

    /// <summary>Whether a fused kernel can take <paramref name="x"/>: a CPU float32 tensor on a CPU with 256-bit vectors.</summary>
    public static bool Take(Tensor x) =>
        Enabled && HardwareProblem is null && x.device_type == TorchSharp.DeviceType.CPU && x.dtype == ScalarType.Float32;

    /// <summary>Runs <paramref name="body"/> over [0, count) in ranges, one per libtorch intra-op thread (so a sweep's
    /// one-thread workers do not each fan out over every core), and on this thread alone when that is one, the work is
    /// under two <paramref name="grain"/>s, or another thread's kernel holds the helpers. Range bounds are multiples of
    /// <paramref name="align"/> but for the last end. The other ranges run on <see cref="Helpers"/>, not .NET's thread
    /// pool, whose idle threads spin for more work on the cores libtorch's threads need next (a d128 step was 9% slower
    /// through the pool: docs/performance.md#why-the-code-is-as-it-is).</summary>
    public static void ForRanges(long count, long grain, int align, Action<long, long> body, int? threads = null)
    {
        int parts = (int)Math.Min(threads ?? get_num_threads(), Math.Max(1, count / grain));
        long Bound(int p) => p == parts ? count : count * p / parts / align * align;
        if (parts == 1 || !Monitor.TryEnter(Helpers.Gate)) { body(0, count); return; }
        try { Helpers.Run(parts, p => body(Bound(p), Bound(p + 1))); }
        finally { Monitor.Exit(Helpers.Gate); }
    }

    /// <summary>Dedicated threads for a kernel's ranges after the first, which block between kernels instead of
    /// spinning. One kernel at a time uses them (<see cref="Gate"/>).</summary>
    static class Helpers
    {
        public static readonly object Gate = new();
        static readonly List<ManualResetEventSlim> Go = new();
        static readonly CountdownEvent Done = new(0);
        static Action<int>? work;
        static Exception? failure;

        /// <summary>Part 0 on the calling thread, parts 1..n−1 on helpers; returns when all are done. Under <see cref="Gate"/>.</summary>
        public static void Run(int parts, Action<int> part)
        {
            while (Go.Count < parts - 1)
            {
                int index = Go.Count + 1;
                var go = new ManualResetEventSlim(false, spinCount: 0);
                Go.Add(go);
                new Thread(() => Loop(go, index)) { IsBackground = true, Name = $"Proxies kernel {index}" }.Start();
            }
            (work, failure) = (part, null);
            Done.Reset(parts - 1);
            for (int p = 1; p < parts; p++) Go[p - 1].Set();
            try { part(0); }
            finally { Done.Wait(); work = null; }
            if (failure is not null) throw new AggregateException(failure);
        }

        static void Loop(ManualResetEventSlim go, int index)
        {
            while (true)
            {
                go.Wait();
                go.Reset();
                try { work!(index); }
                catch (Exception e) { failure = e; }
                finally { Done.Signal(); }
            }
        }
    }

    /// <summary>The address of a contiguous CPU tensor's first element, storage offset included (libtorch owns the
    /// memory, so it does not move; the caller keeps the tensor alive while it uses the address).</summary>
    public static unsafe nint Address(Tensor contiguous)
    {
        if (!contiguous.is_contiguous()) throw new ArgumentException("a fused kernel needs a contiguous tensor");
        fixed (byte* p = contiguous.bytes) return (nint)p;
    }
}
