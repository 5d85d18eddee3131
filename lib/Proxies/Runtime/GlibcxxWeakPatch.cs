// Makes TorchSharp 0.107's libLibTorchSharp.so load on Debian 12.
//
// The file asks for GLIBCXX_3.4.32 (GCC 13), Debian 12's libstdc++ stops at 3.4.30, so ld.so refuses it.
// Only one symbol carries that version (std::ios_base_library_init) and nothing relocates against it:
// it is never called. Marking that version requirement weak (VER_FLG_WEAK in .gnu.version_r) is a
// one-byte change that makes ld.so accept the file. The patch is idempotent and is skipped where the
// system libstdc++ already provides the version (Ubuntu 24.04+, newer distributions) or off Linux.
//
// This one file serves twice: compiled into the library (PROXIES_LIBRARY defined) it patches at run time,
// before the first native load; compiled by MSBuild's RoslynCodeTaskFactory it is the build task that
// patches after every build and publish (see Directory.Build.targets).
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Proxies.Runtime
{
    public static class GlibcxxWeakPatch
    {
        public const string Version = "GLIBCXX_3.4.32";
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlagWeak = 0x2;

        static readonly string[] SystemLibStdCxx =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };

        /// <summary>True when this is Linux and the system libstdc++ lacks <see cref="Version"/>.</summary>
        public static bool IsNeeded()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return false;
            foreach (var path in SystemLibStdCxx)
                if (File.Exists(path)) return !Contains(File.ReadAllBytes(path), Encoding.ASCII.GetBytes(Version + "\0"));
            return false;
        }

        /// <summary>Outcome of <see cref="Apply"/> on one file.</summary>
        public enum Result { Patched, AlreadyWeak, NoSuchRequirement, NotElf }

        /// <summary>Sets VER_FLG_WEAK on the <see cref="Version"/> requirement of an ELF64 little-endian file.</summary>
        public static Result Apply(string path)
        {
            byte[] elf = File.ReadAllBytes(path);
            long flagsOffset = FindRequirementFlags(elf, Version);
            if (flagsOffset == -2) return Result.NotElf;
            if (flagsOffset < 0) return Result.NoSuchRequirement;
            ushort flags = BitConverter.ToUInt16(elf, (int)flagsOffset);
            if ((flags & VerFlagWeak) != 0) return Result.AlreadyWeak;
            // Write the whole file again from memory (the netstandard2.0 task factory has no File.Move overwrite).
            BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, flagsOffset);
            string tmp = path + ".patching";
            File.WriteAllBytes(tmp, elf);
            File.Copy(tmp, path, overwrite: true);
            File.Delete(tmp);
            return Result.Patched;
        }

        /// <summary>Offset of vna_flags for the named version requirement; -1 if absent, -2 if not ELF64 LE.</summary>
        public static long FindRequirementFlags(byte[] elf, string version)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
                || elf[4] != 2 || elf[5] != 1) return -2;
            long shoff = BitConverter.ToInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A);
            int shnum = BitConverter.ToUInt16(elf, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                long sh = shoff + (long)i * shentsize;
                if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
                long offset = BitConverter.ToInt64(elf, (int)sh + 0x18);
                int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
                int count = (int)BitConverter.ToUInt32(elf, (int)sh + 0x2C);
                long strtab = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize + 0x18));
                long need = offset;
                for (int n = 0; n < count; n++)
                {
                    int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                    long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        long name = strtab + BitConverter.ToUInt32(elf, (int)aux + 8);
                        if (CString(elf, name) == version) return aux + 4;
                        aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                    }
                    need += BitConverter.ToUInt32(elf, (int)need + 12);
                }
            }
            return -1;
        }

        static string CString(byte[] bytes, long start)
        {
            long end = start;
            while (end < bytes.Length && bytes[end] != 0) end++;
            return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
        }

        static bool Contains(byte[] haystack, byte[] needle)
        {
            // The task factory compiles against netstandard2.0: no span search there.
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return true;
            }
            return false;
        }
    }

#if !PROXIES_LIBRARY
    /// <summary>MSBuild task: patch every libLibTorchSharp.so under a folder (the output or publish folder).</summary>
    public class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public string Folder { get; set; } = "";

        public override bool Execute()
        {
            if (!Directory.Exists(Folder) || !GlibcxxWeakPatch.IsNeeded()) return true;
            foreach (var file in Directory.GetFiles(Folder, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                var result = GlibcxxWeakPatch.Apply(file);
                if (result == GlibcxxWeakPatch.Result.Patched)
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                        $"Proxies: marked {GlibcxxWeakPatch.Version} weak in {file} (Debian 12 libstdc++ fix)");
            }
            return true;
        }
    }
#endif
}
