using System.Runtime.InteropServices;
using System.Text.Json;
using Proxies.Optimization;
using Proxies.Probes;
using Proxies.Runtime;
using static TorchSharp.torch;

namespace Proxies.Training;

/// <summary>
/// A run's state in the middle of training, so that a preempted, cancelled or killed run goes on from its last
/// checkpoint instead of step 0, and ends exactly as the run it continues would have (same weights, same batches,
/// same curve, bit for bit). Written every <see cref="Every"/> steps, atomically (a kill mid-write leaves the previous
/// checkpoint), and deleted by whoever records the finished run.
///
/// What makes the continuation exact: the weights and AdamW's moments and step count (the schedule is a function of
/// the step); the number of windows the batch sampler has drawn (its seeded generator is replayed that far, so the next
/// batch is the one the uninterrupted run would draw: the position in the token stream); the curve so far and the
/// initial values. The weights, moments and step are the state's <see cref="TrainState.Snapshot"/>, the same snapshot a
/// skip-and-restart rewinds to. A run that rewinds on loss spikes (<see cref="Hooks.SpikeRestart"/>) keeps its rewind
/// points and its spike detector's average in memory only, so it is not checkpointed: it starts again from step 0. Bit for bit holds when the run goes on with the same
/// thread count, CPU kind and libtorch (a Slurm requeue onto another node type, or a sweep resumed with another
/// --workers, continues from exactly the saved state, with that machine's rounding).
///
/// File: "PRXCKPT1", a little-endian int32 length and that many bytes of UTF-8 JSON (<see cref="Header"/>), then each
/// tensor's float32 values in the header's order (every parameter group, then the optimizer's state tensors).
/// </summary>
public sealed class RunCheckpoint(string path, int every) : ITrainingHook
{
    /// <summary>Steps between checkpoints in sweeps and `train` unless told otherwise (a d128 checkpoint: ~10 MB, a few ms).</summary>
    public const int DefaultEvery = 500;

    static readonly byte[] Magic = "PRXCKPT1"u8.ToArray();

    public string Path { get; } = path;
    public int Every { get; } = every;

    /// <summary>The step this run went on from, when it was resumed from this checkpoint; else null.</summary>
    public int? ResumedAt { get; private set; }

    public sealed record Header(string RunId, int NextStep, int StepsDone, long WindowsDrawn, int OptimizerSteps,
        double WallSeconds, double TrainSeconds, Dictionary<string, double> Initial, List<Dictionary<string, double>> Curve,
        List<long[]> Shapes);

    /// <summary>Whether to checkpoint after step <paramref name="step"/> of a run of <paramref name="steps"/>: every
    /// <see cref="Every"/> steps, never after the last (the run is about to be recorded).</summary>
    public bool Due(int step, int steps) => Every > 0 && (step + 1) % Every == 0 && step + 1 < steps;

    /// <summary>Goes on from the saved state when there is one for this run.</summary>
    public void Start(TrainState state) => Restore(state);

    /// <summary>Saves the state when a checkpoint is due after this step.</summary>
    public void AfterRecorded(StepContext step)
    {
        if (Due(step.Step, step.State.Config.Steps)) Save(step.State);
    }

    public void Save(TrainState state)
    {
        using var snapshot = state.Snapshot();
        var tensors = snapshot.Tensors.ToList();
        var header = new Header(state.Config.RunId, state.Step, state.StepsDone, state.Sampler.WindowsDrawn, snapshot.Optimizer.StepCount,
            state.WallSeconds, state.TrainSeconds, new Dictionary<string, double>(state.Initial),
            state.Curve.Rows.Select(r => new Dictionary<string, double>(r)).ToList(), tensors.Select(t => t.shape).ToList());
        AtomicFile.Write(Path, stream =>
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(header, TrainConfig.JsonOptions);
            stream.Write(Magic);
            stream.Write(BitConverter.GetBytes(json.Length));
            stream.Write(json);
            foreach (var t in tensors)
            {
                using var values = t.detach().to(CPU).contiguous();
                stream.Write(MemoryMarshal.AsBytes(values.data<float>().ToArray().AsSpan()));
            }
        });
    }

    /// <summary>Loads the checkpoint into the state (weights, optimizer, step, sampler position, curve, initial values and
    /// clocks) when there is one for this run; false (and nothing changed) when there is none. A checkpoint of another run,
    /// or one that does not fit this model, is an error: the file is named after the run id, so either means a damaged or
    /// misplaced file.</summary>
    public bool Restore(TrainState state)
    {
        if (!File.Exists(Path)) return false;
        string runId = state.Config.RunId;
        using var stream = File.OpenRead(Path);
        using var reader = new BinaryReader(stream);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            throw new IOException($"{Path} is not a Proxies checkpoint; delete it to start the run from step 0");
        Header header;
        try { header = JsonSerializer.Deserialize<Header>(reader.ReadBytes(reader.ReadInt32()), TrainConfig.JsonOptions)!; }
        catch (Exception e) when (e is JsonException or EndOfStreamException or ArgumentException)
        {
            throw new IOException($"{Path} is damaged ({e.Message}); delete it to start the run from step 0", e);
        }
        if (header.RunId != runId) throw new IOException($"{Path} holds run {header.RunId}, not {runId}; delete it to start the run from step 0");
        using var saved = state.Snapshot();   // the shapes to read into
        var into = saved.Tensors.ToList();
        if (into.Count != header.Shapes.Count || into.Zip(header.Shapes).Any(p => !p.First.shape.SequenceEqual(p.Second)))
            throw new IOException($"{Path} does not fit this run's model and optimizer; delete it to start the run from step 0");

        using (no_grad())
            foreach (var t in into)
            {
                var values = new float[t.numel()];
                stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                using var read = tensor(values, t.shape);
                t.copy_(read);
            }
        if (stream.Position != stream.Length) throw new IOException($"{Path} is longer than its header says; delete it to start the run from step 0");
        state.Restore(saved with { NextStep = header.NextStep, Optimizer = saved.Optimizer with { StepCount = header.OptimizerSteps } });
        state.StepsDone = header.StepsDone;
        state.Sampler.SkipWindows(header.WindowsDrawn);
        foreach (var row in header.Curve) state.Curve.Add(row);
        foreach (var (name, value) in header.Initial) state.Initial[name] = value;
        state.ContinueClocks(header.WallSeconds, header.TrainSeconds);
        ResumedAt = header.NextStep;
        return true;
    }

    public void Delete()
    {
        if (File.Exists(Path)) File.Delete(Path);   // a run shorter than Every steps never wrote one (nor its folder)
    }
}
