[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Proxies.Tests")]
