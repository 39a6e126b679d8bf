import Detection

/// Markdown renderings of multi-class figures, shared by `crossvalidate` and `evaluate`.
enum ClassReport {
    /// Per-class precision and recall, window-level and voted, for the classes present in the truth or the
    /// predictions, then the pooled figures.
    static func summary(windows: ClassConfusion, voted: ClassConfusion) -> String {
        var lines = [
            "| # | class | mining | windows | window precision | window recall | voted precision | voted recall |",
            "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for index in windows.classes.indices where windows.presentClasses.contains(index) {
            lines.append("| \(index) | \(windows.classes[index]) | \(windows.mining[index] ? "yes" : "no") | "
                + "\(windows.support(index)) | \(Report.number(windows.precision(index), digits: 3)) | "
                + "\(Report.number(windows.recall(index), digits: 3)) | "
                + "\(Report.number(voted.precision(index), digits: 3)) | "
                + "\(Report.number(voted.recall(index), digits: 3)) |")
        }
        lines.append("")
        for (name, confusion) in [("windows", windows), ("voted", voted)] {
            lines.append("\(name): accuracy \(Report.number(confusion.accuracy)), macro precision "
                + "\(Report.number(confusion.macroPrecision)), macro recall \(Report.number(confusion.macroRecall))"
                + (confusion.undecided > 0 ? ", \(confusion.undecided) undecided" : ""))
            lines.append("  as mining vs normal: \(Report.rates(confusion.binary))")
        }
        return lines.joined(separator: "\n")
    }

    /// The confusion matrix: rows the actual class, columns the predicted one by number, `?` undecided.
    static func matrix(_ confusion: ClassConfusion, title: String) -> String {
        let count = confusion.classes.count
        var lines = ["\(title) (rows: actual class; columns: predicted class by number, ? = undecided)", "",
                     "| actual | " + (0..<count).map(String.init).joined(separator: " | ") + " | ? |",
                     "| --- |" + String(repeating: " ---: |", count: count + 1)]
        for (index, row) in confusion.counts.enumerated() where row.reduce(0, +) > 0 {
            lines.append("| \(index) \(confusion.classes[index]) | "
                + row.map(String.init).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
