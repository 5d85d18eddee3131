using Proxies.Experiments;
using Proxies.Training;

namespace Proxies.Tests.Experiments;

public class GridTests
{
    static readonly TrainConfig Base = Ladder.For(Profile.Smoke).Base((32, 1, 1), 1e-2);

    [Fact]
    public void EveryCombinationOfTheAxesIsOneRunLabelledWithItsValues()
    {
        var grid = Grid.Of("lr-width", "2 LRs × 2 widths", Base with { Model = Base.Model with { QkLayerNorm = false } },
            ("--lr", [1e-2, 0.3]), ("--width", [32, 64])).Runs(Profile.Smoke);
        Assert.Equal(4, grid.Count);
        Assert.Equal(4, grid.Select(c => c.RunId).Distinct().Count());
        Assert.Equal(new[] { (0.01, 32), (0.01, 64), (0.3, 32), (0.3, 64) }, grid.Select(c => (c.Lr, c.Model.Width)));
        Assert.Equal(new[] { "lr 0.01, width 32", "lr 0.01, width 64", "lr 0.3, width 32", "lr 0.3, width 64" }, grid.Select(c => c.Variant));
        Assert.All(grid, c => Assert.False(c.Model.QkLayerNorm));
        Assert.All(grid, c => Assert.Equal("lr-width", c.Experiment));
        // A run of the grid is the same run (same id) as the same config declared any other way.
        Assert.Equal((Base with { Lr = 0.3, Model = Base.Model with { QkLayerNorm = false, Width = 64 } }).RunId, grid[3].RunId);
    }

    [Fact]
    public void AnAxisThatIsNotASwitchOrAValueItRefusesIsRefusedSayingWhy()
    {
        var unknown = Assert.Throws<ArgumentException>(() => Grid.Of("g", "", Base, ("--learning-rate", [0.1])));
        Assert.Contains("--lr", unknown.Message);
        var bad = Assert.Throws<ArgumentException>(() => Grid.Of("g", "", Base, ("--width", ["wide"])).Runs(Profile.Smoke));
        Assert.Contains("--width wide: must be an integer", bad.Message);
        Assert.Throws<ArgumentException>(() => Grid.Of("my grid", "", Base, ("--lr", [0.1])));
    }
}
