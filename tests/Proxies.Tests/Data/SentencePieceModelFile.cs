using System.Text;

namespace Proxies.Tests.Data;

/// <summary>
/// Writes a tiny SentencePiece BPE model (the protobuf ModelProto of sentencepiece_model.proto) by hand, so the
/// .model route is tested on a real file without the sentencepiece trainer or a download.
/// </summary>
static class SentencePieceModelFile
{
    public const int Normal = 1, Unknown = 2, Control = 3;

    /// <summary>Pieces in id order; BPE applies the merges whose result has the higher score first.</summary>
    public static void Write(string path, IReadOnlyList<(string Piece, float Score, int Type)> pieces)
    {
        var model = new MemoryStream();
        foreach (var (piece, score, type) in pieces)
        {
            var entry = new MemoryStream();
            Bytes(entry, 1, Encoding.UTF8.GetBytes(piece));
            Float(entry, 2, score);
            Varint(entry, 3, type);
            Bytes(model, 1, entry.ToArray());
        }
        var trainer = new MemoryStream();
        Varint(trainer, 3, 2); // model_type BPE
        Varint(trainer, 4, pieces.Count); // vocab_size
        Varint(trainer, 40, 0); // unk_id
        Varint(trainer, 41, 1); // bos_id
        Varint(trainer, 42, 2); // eos_id
        Bytes(model, 2, trainer.ToArray());
        var normalizer = new MemoryStream();
        Bytes(normalizer, 1, "identity"u8.ToArray());
        Varint(normalizer, 3, 1); // add_dummy_prefix
        Varint(normalizer, 4, 1); // remove_extra_whitespaces
        Varint(normalizer, 5, 1); // escape_whitespaces
        Bytes(model, 3, normalizer.ToArray());
        File.WriteAllBytes(path, model.ToArray());
    }

    static void Raw(MemoryStream s, ulong value)
    {
        for (; value >= 0x80; value >>= 7) s.WriteByte((byte)(value | 0x80));
        s.WriteByte((byte)value);
    }

    static void Varint(MemoryStream s, int field, long value) { Raw(s, (ulong)(field << 3)); Raw(s, (ulong)value); }

    static void Float(MemoryStream s, int field, float value) { Raw(s, (ulong)(field << 3 | 5)); s.Write(BitConverter.GetBytes(value)); }

    static void Bytes(MemoryStream s, int field, byte[] value)
    {
        Raw(s, (ulong)(field << 3 | 2));
        Raw(s, (ulong)value.Length);
        s.Write(value);
    }
}
