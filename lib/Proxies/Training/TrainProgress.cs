namespace Proxies.Training;

/// <summary>Reported after every probed step.</summary>
public readonly record struct TrainProgress(int Step, int Steps, double Loss, double MaxAttnLogit, double ElapsedSeconds);
