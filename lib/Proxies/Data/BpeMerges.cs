namespace Proxies.Data;

/// <summary>
/// What byte-pair training learned: the bytes of every token id (ids 0–255 are the single bytes, then one id per
/// learned token) and the merges in the order they were learned, which is the order (rank) an encoder applies them.
/// </summary>
public sealed record BpeMerges(IReadOnlyList<byte[]> Tokens, IReadOnlyList<(int Left, int Right)> Merges);
