# 0 "sample1.cfg"
# 1 "sample1.cfg"
# 1 "sample1.h" 1
# 3 "sample1.cfg" 2
ATT_INI({ 0U, 0, sample1_init });
ATT_TER({ 0U, 0, sample1_exit });
CRE_TSK(CONTROL_TASK, { 0x02U, 0, control_task, 5, 4096U, 
# 7 "sample1.cfg" 3 4
                                                                              ((void *)0) 
# 7 "sample1.cfg"
                                                                                   });
CRE_TSK(WORKER1, { 0x02U, 1, worker_task, 10, 4096U, 
# 8 "sample1.cfg" 3 4
                                                                    ((void *)0) 
# 8 "sample1.cfg"
                                                                         });
CRE_TSK(WORKER2, { 0x02U, 2, worker_task, 10, 4096U, 
# 9 "sample1.cfg" 3 4
                                                                    ((void *)0) 
# 9 "sample1.cfg"
                                                                         });
CRE_TSK(WORKER3, { 0x02U, 3, worker_task, 10, 4096U, 
# 10 "sample1.cfg" 3 4
                                                                    ((void *)0) 
# 10 "sample1.cfg"
                                                                         });
DEF_TEX(WORKER1, { 0U, worker_tex });
DEF_TEX(WORKER2, { 0U, worker_tex });
DEF_TEX(WORKER3, { 0U, worker_tex });
CRE_DTQ(WORKER1_DTQ, { 0U, 4, 
# 16 "sample1.cfg" 3 4
                                  ((void *)0) 
# 16 "sample1.cfg"
                                       });
CRE_DTQ(WORKER2_DTQ, { 0U, 4, 
# 17 "sample1.cfg" 3 4
                                  ((void *)0) 
# 17 "sample1.cfg"
                                       });
CRE_DTQ(WORKER3_DTQ, { 0U, 4, 
# 18 "sample1.cfg" 3 4
                                  ((void *)0) 
# 18 "sample1.cfg"
                                       });
CRE_CYC(CYCHDR1, { 0U, 0, cyclic_handler, 2000, 0 });
CRE_ALM(ALMHDR1, { 0U, 0, alarm_handler });
DEF_EXC(6U, { 0U, cpuexc_handler });
