/// Plain-text tables for people (`coinsentryctl` and `coinsentry`): columns padded to their widest cell, numbers
/// right-aligned, two spaces between columns, no trailing blanks.
public enum TextTable {
    public static func render(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() {
                if column < widths.count {
                    widths[column] = max(widths[column], cell.count)
                } else {
                    widths.append(cell.count)
                }
            }
        }
        func line(_ cells: [String]) -> String {
            var text = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                let numeric = !cell.isEmpty && cell.allSatisfy(\.isNumber)
                return numeric ? padding + cell : cell + padding
            }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
