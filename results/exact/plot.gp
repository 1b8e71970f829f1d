# results/exact/plot.gp: Manning's f2 (1964) against the exact f2 of the fcc
# five-frequency model (hop scan --estimator exact, manning_vs_exact.csv): f2 over
# w2/w1 for five w4/w0 (w0 = w1 = w3 = 1), and Manning minus exact, resolved far below
# the exact solver's bound (error bars: the bound).   gnuplot plot.gp
set datafile separator ","
set terminal pngcairo size 900,1000 font ",11"
set output "manning_vs_exact.png"
set multiplot layout 2,1
set logscale x
set format x "10^{%L}"
set xlabel "w2 / w1"
set key top right
set grid
set ylabel "f2"
set title "fcc five-frequency model: exact f2 (points) and Manning's closed form (lines)"
w4s = "0.1 0.316227766 1 3.16227766 10"
plot for [i=1:5] "manning_vs_exact.csv" every ::3 u ( abs($9 - word(w4s,i)) < 1e-6 * word(w4s,i) ? $7 : 1/0):12 w p pt 7 ps 0.8 lc i title sprintf("w4/w0 = %.3g", word(w4s,i)+0), \
     for [i=1:5] "manning_vs_exact.csv" every ::3 u ( abs($9 - word(w4s,i)) < 1e-6 * word(w4s,i) ? $7 : 1/0):16 w l lc i notitle
set title "Manning minus exact (the exact solver's bound is below 1e-7)"
set ylabel "f2(Manning) - f2(exact)"
set format y "%.0e"
set offsets 0, 0, 5e-6, 5e-6
plot for [i=1:5] "manning_vs_exact.csv" every ::3 u ( abs($9 - word(w4s,i)) < 1e-6 * word(w4s,i) ? $7 : 1/0):($16-$12):13 w yerrorlines pt 7 ps 0.6 lc i title sprintf("w4/w0 = %.3g", word(w4s,i)+0)
unset multiplot
