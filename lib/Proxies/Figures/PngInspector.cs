using System.Buffers.Binary;
using System.IO.Compression;

namespace Proxies.Figures;

/// <summary>
/// Checks that a PNG is a real picture of a chart rather than a blank or failed render, without System.Drawing (which
/// is Windows-only on .NET 6+): a minimal decoder for the 8-bit, non-interlaced RGB/RGBA files that browsers write.
/// </summary>
public static class PngInspector
{
    /// <param name="InkFraction">Share of pixels whose colour differs from the background (the most frequent colour).</param>
    /// <param name="DistinctColours">Number of different RGBA values; a blank page has 1, a chart with anti-aliased lines and text has hundreds.</param>
    public sealed record Summary(int Width, int Height, double InkFraction, int DistinctColours);

    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static Summary Inspect(string path) => Inspect(File.ReadAllBytes(path));

    public static Summary Inspect(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("Not a PNG file.");

        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at + 8 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                (byte depth, byte colourType, byte interlace) = (data[8], data[9], data[12]);
                channels = colourType switch { 2 => 3, 6 => 4, _ => 0 };
                if (width <= 0 || height <= 0) throw new InvalidDataException($"PNG has an invalid size {width}x{height}.");
                if (depth != 8 || channels == 0 || interlace != 0)
                    throw new NotSupportedException($"Only 8-bit non-interlaced RGB/RGBA PNGs are supported (depth {depth}, colour type {colourType}, interlace {interlace}).");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length; // length, type, data, CRC
        }
        if (channels == 0) throw new InvalidDataException("PNG has no IHDR chunk.");

        var pixels = Unfilter(Inflate(idat), width, height, channels);
        var counts = new Dictionary<uint, int>();
        for (var i = 0; i < pixels.Length; i += channels)
        {
            var rgba = (uint)(pixels[i] << 24 | pixels[i + 1] << 16 | pixels[i + 2] << 8 | (channels == 4 ? pixels[i + 3] : 255));
            counts[rgba] = counts.GetValueOrDefault(rgba) + 1;
        }
        var backgroundPixels = counts.Values.Max();
        var total = (double)width * height;
        return new Summary(width, height, (total - backgroundPixels) / total, counts.Count);
    }

    private static byte[] Inflate(MemoryStream idat)
    {
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        return raw.ToArray();
    }

    // Reverses the per-row filters (PNG spec 9.2): each row starts with a filter byte, and bytes are predicted from the
    // byte one pixel to the left (a), the byte above (b) and the byte above-left (c).
    private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        var stride = width * channels;
        if (raw.Length < height * (stride + 1)) throw new InvalidDataException("PNG image data is truncated.");
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var source = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var above = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? row[x - channels] : 0, b = above[x], c = x >= channels ? above[x - channels] : 0;
                row[x] = (byte)(source[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Unknown PNG filter type {filter} in row {y}."),
                });
            }
        }
        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
